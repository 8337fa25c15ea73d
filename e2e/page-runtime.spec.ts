// The page runtime with the bundled tiny ranker: loading and caching, backend choice,
// a worker that dies mid-call, and aborts.
import { expect, test, type Page } from '@playwright/test';

const MODEL = '/models/tiny-pairrm';
// 60 candidates at batch size 1: 3540 passes, seconds of work even for the tiny model, so a
// kill or an abort lands while the worker is busy.
const CANDIDATES = Array.from({ length: 60 }, (_, i) => `candidate number ${i}: ${'word '.repeat(i % 7)}`);

async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

/** Model files requested (everything under the model folder but its manifest). */
function modelFileRequests(paths: readonly string[]): string[] {
  return paths.filter((path) => path.startsWith(`${MODEL}/`) && !path.endsWith('/manifest.json'));
}

test('a cold load downloads and caches the model; a reload fetches no model file', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await openHarness(page);
  const first = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => events.push(event.stage === 'cache' ? `cache:${event.status}` : event.stage),
    });
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    const info = await blender.info();
    await blender.dispose();
    return { ranks, info, events };
  }, MODEL);
  expect(first.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  expect(first.events).toContain('download');
  expect(first.events).toContain('cache:stored');
  const fetched = modelFileRequests(requests);
  expect(fetched).toContain(`${MODEL}/${first.info.ranker!.file}`);
  expect(fetched).toContain(`${MODEL}/tokenizer.json`);
  expect(await page.evaluate(() => window.harness.storedKeys())).toContainEqual(expect.stringMatching(/^chunk\|/));

  requests.length = 0;
  await page.reload();
  await openHarness(page);
  const second = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => events.push(event.stage === 'cache' ? `cache:${event.status}` : event.stage),
    });
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    await blender.dispose();
    return { ranks, events };
  }, MODEL);
  expect(modelFileRequests(requests)).toEqual([]);
  expect(second.events).not.toContain('download');
  expect(second.events).toContain('cache:hit');
  expect(second.ranks).toEqual(first.ranks);
});

test('a corrupted stored chunk is detected, that file is downloaded again, and the model works', async ({ page, context }) => {
  await openHarness(page);
  const file = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model });
    const { ranker } = await blender.info();
    await blender.dispose();
    return ranker!.file;
  }, MODEL);
  await page.evaluate((name) => window.harness.corruptStoredChunk(name), file);

  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const result = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => {
        if (event.stage === 'cache') events.push(`${event.status}:${event.file}`);
      },
    });
    const ranks = await blender.rank(['question'], [['an answer', 'another answer']]);
    await blender.dispose();
    return { ranks, events };
  }, MODEL);
  expect(result.events).toContain(`corrupt:${file}`);
  expect(result.events).toContain(`stored:${file}`);
  expect(modelFileRequests(requests)).toEqual([`${MODEL}/${file}`]);
  expect(result.ranks[0]!.slice().sort()).toEqual([1, 2]);
});

test('info() names the backend and why; device choice follows the adapter', async ({ page }, testInfo) => {
  await openHarness(page);
  const outcome = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model });
    const info = await blender.info();
    await blender.dispose();
    const forced = await window.harness.api
      .createBlender({ ranker: model, device: 'webgpu' })
      .then(async (b) => {
        const backend = (await b.info()).ranker!.backend;
        await b.dispose();
        return { ok: backend };
      })
      .catch((error: { code: string; message: string; argument: string }) => ({ code: error.code, message: error.message, argument: error.argument }));
    return { info, forced };
  }, MODEL);
  const ranker = outcome.info.ranker!;
  if (testInfo.project.name === 'webgpu') {
    expect(ranker.backend).toBe('webgpu');
    expect(ranker.dtype).toBe('q4'); // SwiftShader has no shader-f16
    expect(ranker.reason).toMatch(/fallback adapter/);
    expect(outcome.forced).toEqual({ ok: 'webgpu' });
  } else {
    expect(ranker.backend).toBe('wasm');
    expect(ranker.dtype).toBe('q8');
    expect(ranker.reason).toMatch(/WASM: .*WebGPU/);
    expect(outcome.forced).toMatchObject({ code: 'BACKEND_UNAVAILABLE', argument: 'device' });
  }
  expect(outcome.info.crossOriginIsolated).toBe(true);
  expect(ranker.timings.firstRunMs).toBeGreaterThan(0);
});

test('a worker killed mid-rank rejects the pending call, and the next call works', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(
    async ({ model, candidates }) => {
      const blender = await window.harness.api.createBlender({ ranker: model, device: 'wasm' });
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const pending = blender
        .rank(['q'], [candidates], { batchSize: 1, onProgress: () => started() })
        .then(() => 'finished', (error: { code: string }) => error.code);
      Object.assign(window, { blender, pending, running });
    },
    { model: MODEL, candidates: CANDIDATES },
  );
  await page.evaluate(() => (window as unknown as { running: Promise<void> }).running);
  const worker = page.workers().find((w) => w.url().includes('blender.worker'))!;
  await worker.evaluate(() => self.close()).catch(() => undefined);

  expect(await page.evaluate(() => (window as unknown as { pending: Promise<string> }).pending)).toBe('WORKER_CRASHED');
  const after = await page.evaluate(async () => {
    const { blender } = window as unknown as { blender: { rank: (i: string[], c: string[][]) => Promise<number[][]> } };
    return blender.rank(['q'], [['yes', 'no']]);
  });
  expect(after[0]!.slice().sort()).toEqual([1, 2]);
});

test('an aborted rank rejects at once, the worker stops, and the next call works', async ({ page }) => {
  await openHarness(page);
  const outcome = await page.evaluate(
    async ({ model, candidates }) => {
      const blender = await window.harness.api.createBlender({ ranker: model, device: 'wasm' });
      const before = (await blender.info()).ranker!.passes;
      const controller = new AbortController();
      let total = 0;
      const code = await blender
        .rank(['q'], [candidates], {
          batchSize: 1,
          signal: controller.signal,
          onProgress: (progress) => {
            total = progress.total;
            controller.abort();
          },
        })
        .then(() => 'finished', (error: { code: string }) => error.code);
      const next = await blender.rank(['q'], [['yes', 'no']]);
      // Passes the worker ran for the aborted call (the next call ran 2).
      const ran = (await blender.info()).ranker!.passes - before - 2;
      await blender.dispose();
      return { code, ran, total, next };
    },
    { model: MODEL, candidates: CANDIDATES },
  );
  expect(outcome.code).toBe('ABORTED');
  // The worker stopped between batches, long before the end of the call.
  expect(outcome.ran).toBeGreaterThan(0);
  expect(outcome.ran).toBeLessThan(outcome.total / 2);
  expect(outcome.next[0]!.slice().sort()).toEqual([1, 2]);
});

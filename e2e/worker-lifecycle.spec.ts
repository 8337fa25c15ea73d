// The worker's life: killed mid-call, or asked to stop. Both force WASM, so they run in the
// WASM project only.
import { expect, test } from '@playwright/test';
import { MODEL, openHarness } from './harness-helpers';

// 60 candidates at batch size 1: 3540 passes, seconds of work even for the tiny model, so a
// kill or an abort lands while the worker is busy.
const CANDIDATES = Array.from({ length: 60 }, (_, i) => `candidate number ${i}: ${'word '.repeat(i % 7)}`);

test('a worker killed mid-rank rejects the pending call, and the next call works', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(
    async ({ model, candidates }) => {
      const blender = await window.harness.api.createBlender({ ranker: model, device: 'wasm' });
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const pending = blender.rank(['q'], [candidates], { batchSize: 1, onProgress: () => started() }).then(
        () => 'finished',
        (error: { code: string }) => error.code,
      );
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
        .then(
          () => 'finished',
          (error: { code: string }) => error.code,
        );
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

// The numerical self-check in a real browser (WASM, and WebGPU on SwiftShader in the webgpu
// project): the bundled models pass it; a model folder whose probe expectations were altered
// on purpose (served by a route, the graphs untouched) makes `auto` fall back and say why,
// remembered for the next load and forgotten with the cache, and an explicit device reject
// with NUMERICS_MISMATCH.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openHarness } from './harness-helpers';

const ALTERED = '/models/altered-pairrm';
type Probe = { logits: number[]; tolerance: Record<string, { logit: number }> };
type Manifest = { probe: Probe };
const original = (): Manifest => JSON.parse(readFileSync('public/models/tiny-pairrm/manifest.json', 'utf8')) as Manifest;

/** Serves tiny-pairrm under ALTERED with `manifest` as its manifest.json. */
async function serveAltered(page: Page, manifest: Manifest): Promise<void> {
  await page.context().route(`**${ALTERED}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.slice(ALTERED.length + 1);
    if (path === 'manifest.json') return route.fulfill({ contentType: 'application/json', body: JSON.stringify(manifest) });
    return route.fulfill({ body: readFileSync(`public/models/tiny-pairrm/${path}`) });
  });
}

test('the bundled ranker and fuser pass their self-check on this backend', async ({ page }, testInfo) => {
  await openHarness(page);
  const device: 'webgpu' | 'wasm' = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
  const info = await page.evaluate(async (device) => {
    const blender = await window.harness.api.createBlender({ ranker: '/models/tiny-pairrm', fuser: '/models/tiny-fuser', device });
    const result = await blender.info();
    await blender.dispose();
    return result;
  }, device);
  for (const model of [info.ranker!, info.fuser!]) {
    expect(model.backend).toBe(device);
    expect(model.selfCheck).toMatchObject({ status: 'passed' });
    expect(model.selfCheck.deviation!).toBeLessThanOrEqual(model.selfCheck.tolerance!);
  }
  // The probe's cost, reported (not asserted: timings belong in benchmarks).
  const cost = (model: typeof info.ranker) =>
    `${model!.selfCheck.detail}: ${model!.selfCheck.ms!.toFixed(1)} ms of a ${model!.timings.loadMs.toFixed(0)} ms load`;
  testInfo.annotations.push({ type: 'self-check', description: `${cost(info.ranker)}; ${cost(info.fuser)}` });
});

test('altered probe: auto falls back from q8 to fp32 and says why, remembers it, forgets it with the cache; explicit WASM rejects', async ({ page }) => {
  const manifest = original();
  manifest.probe.tolerance['q8']!.logit = 1e-9; // q8 cannot pass, fp32 still does
  await serveAltered(page, manifest);
  await openHarness(page);
  const outcome = await page.evaluate(async (model) => {
    const api = window.harness.api;
    const events: { stage: string; reason?: string; fromDtype?: string; toDtype?: string }[] = [];
    const first = await api.createBlender({ ranker: model, onProgress: (event) => events.push(event) });
    const ranks = await first.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    const firstInfo = (await first.info()).ranker!;
    await first.dispose();
    const second = await api.createBlender({ ranker: model });
    const secondInfo = (await second.info()).ranker!;
    await second.cache.clear();
    await second.dispose();
    const third = await api.createBlender({ ranker: model });
    const thirdInfo = (await third.info()).ranker!;
    await third.dispose();
    const forced = await api
      .createBlender({ ranker: model, device: 'wasm' })
      .then(() => null)
      .catch((error: { code: string; argument: string; message: string }) => ({ code: error.code, argument: error.argument, message: error.message }));
    return { ranks, events: events.filter((event) => event.stage === 'fallback'), firstInfo, secondInfo, thirdInfo, forced };
  }, ALTERED);
  expect(outcome.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  expect(outcome.firstInfo).toMatchObject({ backend: 'wasm', dtype: 'fp32', selfCheck: { status: 'passed' } });
  expect(outcome.firstInfo.reason).toMatch(/^fp32 on WASM: q8 on WASM failed its self-check \(q8 on wasm: max \|Δlogit\| [\d.e-]+ > 1e-9\)$/);
  expect(outcome.events).toEqual([expect.objectContaining({ fromDtype: 'q8', toDtype: 'fp32', reason: outcome.firstInfo.reason })]);
  // The next load goes straight to fp32 and says why; after cache.clear() q8 is tried again.
  expect(outcome.secondInfo.dtype).toBe('fp32');
  expect(outcome.secondInfo.reason).toMatch(/q8 on WASM failed its self-check on an earlier load .*remembered/);
  expect(outcome.thirdInfo.dtype).toBe('fp32');
  expect(outcome.thirdInfo.reason).toMatch(/^fp32 on WASM: q8 on WASM failed its self-check \(/);
  expect(outcome.forced).toMatchObject({ code: 'NUMERICS_MISMATCH', argument: 'options.ranker' });
  expect(outcome.forced!.message).toMatch(/q8 on wasm: max \|Δlogit\| [\d.e-]+ > 1e-9/);
});

test('altered probe: every expected logit moved, so an explicit device rejects whatever the variant', async ({ page }, testInfo) => {
  const manifest = original();
  manifest.probe.logits = manifest.probe.logits.map((logit) => logit + 1);
  await serveAltered(page, manifest);
  await openHarness(page);
  const device: 'webgpu' | 'wasm' = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
  const error = await page.evaluate(
    ({ model, device }) =>
      window.harness.api
        .createBlender({ ranker: model, device })
        .then(() => null)
        .catch((error: { code: string; argument: string; message: string }) => ({ code: error.code, argument: error.argument, message: error.message })),
    { model: ALTERED, device },
  );
  expect(error).toMatchObject({ code: 'NUMERICS_MISMATCH', argument: 'options.ranker' });
  // WebGPU on SwiftShader (no shader-f16) runs q4; WASM q8.
  expect(error!.message).toMatch(device === 'webgpu' ? /q4 on webgpu: max \|Δlogit\| 1(\.\d+)? > / : /q8 on wasm: max \|Δlogit\| 1(\.\d+)? > /);
});

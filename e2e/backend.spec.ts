// Which backend the page picks, and why, with and without a WebGPU adapter.
import { expect, test } from '@playwright/test';
import { MODEL, openHarness } from './harness-helpers';

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

// A WebGPU device lost in the middle of a call (here: destroyed, as a driver reset would): the
// call rejects with DEVICE_LOST, the next call reloads the ranker on WASM (from the cache, the
// reason in info()) and works. Needs a WebGPU device, so it runs in the webgpu project only.
import { expect, test } from '@playwright/test';
import { MODEL, openHarness } from './harness-helpers';

type Outcome = { code: string; message: string } | { ranks: number[][] };
declare global {
  interface Window {
    lossTest?: { progressed: boolean; outcome: Promise<Outcome> };
  }
}

test('a destroyed device mid-call: DEVICE_LOST, then the next call runs on WASM', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model, device: 'webgpu' });
    (window as unknown as { lossBlender: typeof blender }).lossBlender = blender;
    const candidates = Array.from({ length: 12 }, (_, i) => `candidate number ${i}: ${'word '.repeat(i + 3)}`);
    const state: NonNullable<Window['lossTest']> = { progressed: false, outcome: Promise.resolve({ ranks: [] }) };
    state.outcome = blender
      .rank(['which candidate is best?'], [candidates], { batchSize: 1, onProgress: () => (state.progressed = true) })
      .then((ranks) => ({ ranks }))
      .catch((error: { code: string; message: string }) => ({ code: error.code, message: error.message }));
    window.lossTest = state;
  }, MODEL);
  await expect.poll(() => page.evaluate(() => window.lossTest!.progressed)).toBe(true);

  // The blender's worker holds the device ORT created (onnxruntime-web registered for transformers.js).
  const worker = page.workers().find((w) => w.url().includes('blender.worker'));
  expect(
    worker,
    page
      .workers()
      .map((w) => w.url())
      .join(', '),
  ).toBeDefined();
  await worker!.evaluate(async () => {
    const ort = (globalThis as Record<symbol, { env: { webgpu: { device: Promise<{ destroy(): void }> } } }>)[Symbol.for('onnxruntime')]!;
    (await ort.env.webgpu.device).destroy();
  });

  const outcome = await page.evaluate(() => window.lossTest!.outcome);
  expect(outcome).toMatchObject({ code: 'DEVICE_LOST' });
  expect((outcome as { message: string }).message).toMatch(/WebGPU device was lost \(destroyed/);

  const after = await page.evaluate(async () => {
    const blender = (window as unknown as { lossBlender: Awaited<ReturnType<typeof window.harness.api.createBlender>> }).lossBlender;
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    const { ranker } = await blender.info();
    await blender.dispose();
    return { ranks, ranker: ranker! };
  });
  expect(after.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  expect(after.ranker).toMatchObject({ backend: 'wasm', selfCheck: { status: 'passed' } });
  expect(after.ranker.reason).toMatch(/^WASM: the WebGPU device was lost \(destroyed.*\); reloaded on WASM$/);
});

// Which backend the page picks, and why, with and without a WebGPU adapter; and which
// onnxruntime-web build the worker loads for it (the plain WASM build unless WebGPU is used).
import { expect, test } from '@playwright/test';
import { MODEL, openHarness } from './harness-helpers';
import { ASYNCIFY_WASM, PLAIN_WASM, recordWasmFetches } from './ort-wasm-files';

test('info() names the backend and why; device choice follows the adapter', async ({ page, context }, testInfo) => {
  const fetched = recordWasmFetches(context);
  await openHarness(page);
  const outcome = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model });
    const info = await blender.info();
    await blender.dispose();
    const forced = await window.harness.api
      .createBlender({ ranker: model, device: 'webgpu' })
      .then(async (b) => {
        const { ranker, ortBuild, ortWasmUrl } = await b.info();
        await b.dispose();
        return { ok: ranker!.backend, ortBuild, ortWasmUrl };
      })
      .catch((error: { code: string; message: string; argument: string }) => ({ code: error.code, message: error.message, argument: error.argument }));
    return { info, forced };
  }, MODEL);
  const ranker = outcome.info.ranker!;
  if (testInfo.project.name === 'webgpu') {
    // SwiftShader is a software adapter: 'auto' runs WASM (the plain build) and says why.
    expect(ranker.backend).toBe('wasm');
    expect(ranker.dtype).toBe('q8');
    expect(ranker.reason).toBe('WASM: the only WebGPU adapter is a software one (SwiftShader)');
    expect(outcome.info.webgpu).toMatchObject({ available: true, adapter: { software: 'SwiftShader' } });
    expect(outcome.info.ortBuild).toBe('wasm');
    expect(new URL(outcome.info.ortWasmUrl).pathname).toMatch(PLAIN_WASM);
    // Asked for, WebGPU still runs on it, on the WebGPU-capable (asyncify) build.
    expect(outcome.forced).toMatchObject({ ok: 'webgpu', ortBuild: 'webgpu' });
    expect(new URL('ortWasmUrl' in outcome.forced ? outcome.forced.ortWasmUrl : '').pathname).toMatch(ASYNCIFY_WASM);
    expect(fetched.plain().length).toBeGreaterThan(0);
    expect(fetched.asyncify().length).toBeGreaterThan(0);
  } else {
    expect(ranker.backend).toBe('wasm');
    expect(ranker.dtype).toBe('q8');
    expect(ranker.reason).toMatch(/WASM: .*WebGPU/);
    expect(outcome.forced).toMatchObject({ code: 'BACKEND_UNAVAILABLE', argument: 'options.device' });
    // No WebGPU: the plain WASM build, and the asyncify one is never fetched.
    expect(outcome.info.ortBuild).toBe('wasm');
    expect(new URL(outcome.info.ortWasmUrl).pathname).toMatch(PLAIN_WASM);
    expect(fetched.plain().length).toBeGreaterThan(0);
    expect(fetched.asyncify()).toEqual([]);
  }
  expect(new URL(outcome.info.ortWasmUrl).origin).toBe(new URL(page.url()).origin);
  expect(outcome.info.crossOriginIsolated).toBe(true);
  expect(ranker.timings.firstRunMs).toBeGreaterThan(0);
});

test("device 'wasm' loads the plain WASM build for the ranker and the fuser, even with an adapter", async ({ page, context }) => {
  const fetched = recordWasmFetches(context);
  await openHarness(page);
  const outcome = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model, fuser: '/models/tiny-fuser', device: 'wasm' });
    const info = await blender.info();
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    const fused = await blender.fuse(['hello, how are you?'], [['fine, thanks!', 'hi']], { maxNewTokens: 4 });
    await blender.dispose();
    return { info, ranks, fused };
  }, MODEL);
  expect(outcome.info.ortBuild).toBe('wasm');
  expect(new URL(outcome.info.ortWasmUrl).pathname).toMatch(PLAIN_WASM);
  expect(outcome.info.ranker).toMatchObject({ backend: 'wasm', dtype: 'q8' });
  expect(outcome.info.fuser).toMatchObject({ backend: 'wasm' });
  expect(outcome.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  expect(outcome.fused).toHaveLength(1);
  expect(fetched.plain().length).toBeGreaterThan(0);
  expect(fetched.asyncify()).toEqual([]);
});

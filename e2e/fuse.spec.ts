// The fuser in the page (WebGPU on SwiftShader, or WASM): fp32 fuse reproduces the torch
// goldens, the bytes come only through the model store, dtype auto follows the ranker's
// rules. Its flows (abort, rankAndFuse, bestOfN) are in fuse-flows.spec.ts.
import { expect, test } from '@playwright/test';
import { goldens, withinLimit } from '../test/fuse/fuser-goldens';
import { openHarness } from './harness-helpers';

const FUSER = '/models/tiny-fuser';
const columns = {
  inputs: withinLimit.map((c) => c.input),
  candidates: withinLimit.map((c) => c.candidates),
  instructions: withinLimit.map((c) => c.instruction),
  maxNewTokens: goldens.max_new_tokens,
};

// SwiftShader's WebGPU is ~100x slower than WASM: the same checks need more time there.
test.beforeEach(({}, testInfo) => test.slow(testInfo.project.name === 'webgpu', 'WebGPU on SwiftShader'));

test('fp32 fuse reproduces the golden greedy and beam texts; files come only through the store', async ({ page, context }, testInfo) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await openHarness(page);
  const result = await page.evaluate(
    async ({ model, data, device }) => {
      const blender = await window.harness.api.createBlender({ ranker: null, fuser: model, dtype: 'fp32', device });
      const options = { instructions: data.instructions, maxNewTokens: data.maxNewTokens };
      const pieces: string[] = [];
      const greedy = await blender.fuse(data.inputs, data.candidates, {
        ...options,
        numBeams: 1,
        onToken: (i, text) => {
          if (i === 0) pieces.push(text);
        },
      });
      const beam = await blender.fuse(data.inputs, data.candidates, options);
      const { fuser } = await blender.info();
      await blender.dispose();
      return { greedy, beam, pieces, fuser };
    },
    // 'auto' never picks SwiftShader's software adapter: the webgpu project asks for WebGPU.
    { model: FUSER, data: columns, device: testInfo.project.name === 'webgpu' ? ('webgpu' as const) : ('auto' as const) },
  );
  expect(result.fuser!.backend).toBe(testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm');
  expect(result.fuser!.dtype).toBe('fp32');
  expect(result.greedy).toEqual(withinLimit.map((c) => c.greedy.text));
  expect(result.beam).toEqual(withinLimit.map((c) => c.beam.text));
  expect(result.pieces.length).toBeGreaterThan(2);
  expect(result.pieces.join('')).toBe(result.greedy[0]);
  // Every fuser request is the manifest or a file it lists, each fetched once (a cold load).
  const fuserRequests = requests.filter((path) => path.startsWith(`${FUSER}/`)).map((path) => path.slice(FUSER.length + 1));
  expect(fuserRequests.sort()).toEqual(
    [
      'manifest.json',
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged.onnx',
    ].sort(),
  );
});

test('dtype auto follows the ranker rules: q8 on WASM, q4 on a WebGPU without shader-f16', async ({ page }, testInfo) => {
  await openHarness(page);
  const webgpu = testInfo.project.name === 'webgpu';
  // 'auto' never picks SwiftShader's software adapter: the webgpu project names the device (dtype stays auto).
  const result = await page.evaluate(
    async ({ model, device }) => {
      const events: string[] = [];
      const blender = await window.harness.api.createBlender({
        ranker: null,
        fuser: model,
        device,
        onProgress: (event) => events.push(`${event.role}:${event.stage}`),
      });
      const fused = await blender.fuse(['What is free software?'], [['Software you may share.']], { maxNewTokens: 3, numBeams: 1 });
      const { fuser } = await blender.info();
      await blender.dispose();
      return { fused, fuser, events };
    },
    { model: FUSER, device: webgpu ? ('webgpu' as const) : ('auto' as const) },
  );
  expect(result.fuser).toMatchObject({ backend: webgpu ? 'webgpu' : 'wasm', dtype: webgpu ? 'q4' : 'q8' });
  expect(result.fuser!.files.join(', ')).toContain(webgpu ? 'encoder_model_q4.onnx' : 'encoder_model_quantized.onnx');
  expect(result.fused).toHaveLength(1);
  expect(result.fused[0]!.length).toBeGreaterThan(0);
  expect(result.events).toEqual(expect.arrayContaining(['fuser:download', 'fuser:session']));
});

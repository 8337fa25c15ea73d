// The fuser in the page (WebGPU on SwiftShader, or WASM): fp32 fuse reproduces the torch
// goldens, the bytes come only through the model store, abort mid-generation leaves the
// fuser usable, rankAndFuse and bestOfN run end to end on the tiny models.
import { expect, test } from '@playwright/test';
import { createBlender as createNodeBlender } from '../src/node/index';
import { goldens, TINY_FUSER, TINY_PAIRRM, withinLimit } from '../test/fuse/fuser-goldens';
import { openHarness } from './harness-helpers';

const FUSER = '/models/tiny-fuser';
const RANKER = '/models/tiny-pairrm';
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
    async ({ model, data }) => {
      const blender = await window.harness.api.createBlender({ ranker: null, fuser: model, dtype: 'fp32' });
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
    { model: FUSER, data: columns },
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
    ['manifest.json', 'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx'].sort(),
  );
});

test('dtype auto follows the ranker rules: q8 on WASM, q4 on a WebGPU without shader-f16', async ({ page }, testInfo) => {
  await openHarness(page);
  const result = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: null,
      fuser: model,
      onProgress: (event) => events.push(`${event.role}:${event.stage}`),
    });
    const fused = await blender.fuse(['What is free software?'], [['Software you may share.']], { maxNewTokens: 3, numBeams: 1 });
    const { fuser } = await blender.info();
    await blender.dispose();
    return { fused, fuser, events };
  }, FUSER);
  const webgpu = testInfo.project.name === 'webgpu';
  expect(result.fuser).toMatchObject({ backend: webgpu ? 'webgpu' : 'wasm', dtype: webgpu ? 'q4' : 'q8' });
  expect(result.fuser!.file).toContain(webgpu ? 'encoder_model_q4.onnx' : 'encoder_model_quantized.onnx');
  expect(result.fused).toHaveLength(1);
  expect(result.fused[0]!.length).toBeGreaterThan(0);
  expect(result.events).toEqual(expect.arrayContaining(['fuser:download', 'fuser:session']));
});

test('an abort mid-generation rejects with ABORTED, the worker stops, and the next call works', async ({ page }) => {
  await openHarness(page);
  const c = withinLimit[0]!;
  const result = await page.evaluate(
    async ({ model, c, maxNewTokens }) => {
      const blender = await window.harness.api.createBlender({ ranker: null, fuser: model, dtype: 'fp32' });
      const controller = new AbortController();
      let tokens = 0;
      const aborted = await blender
        .fuse([c.input], [c.candidates], {
          instructions: [c.instruction],
          maxNewTokens: 512,
          numBeams: 1,
          signal: controller.signal,
          onToken: () => {
            if (++tokens === 1) controller.abort();
          },
        })
        .then(
          () => 'resolved',
          (error: { code?: string }) => error.code,
        );
      const before = (await blender.info()).fuser!.passes;
      const next = await blender.fuse([c.input], [c.candidates], { instructions: [c.instruction], maxNewTokens });
      const after = (await blender.info()).fuser!.passes;
      await blender.dispose();
      return { aborted, tokens, next, completed: after - before };
    },
    { model: FUSER, c, maxNewTokens: goldens.max_new_tokens },
  );
  expect(result.aborted).toBe('ABORTED');
  expect(result.next).toEqual([c.beam.text]);
  // Only the next call completed a generation: the aborted one stopped between steps.
  expect(result.completed).toBe(1);
  expect(result.tokens).toBeLessThan(c.greedy.ids.length);
});

test('rankAndFuse and bestOfN run end to end and match Node on the tiny models (fp32)', async ({ page }) => {
  const inputs = ['What is free software?', 'Summarize the license.'];
  const candidates = [
    ['Software you may share.', 'Software that respects freedom.', 'Free as in beer.', 'Code.'],
    ['It is permissive.', 'You may copy it.', 'No warranty.'],
  ];
  const instructions = ['Answer.', 'Be brief.'];
  const node = await createNodeBlender({ ranker: TINY_PAIRRM, fuser: TINY_FUSER, dtype: 'fp32', threads: 1 });
  const expected = await node.rankAndFuse(inputs, candidates, { instructions, topK: 2, maxNewTokens: 8 });
  const expectedBest = await node.bestOfN(inputs, { generate: (_p, n) => candidates[_p.startsWith('Answer') ? 0 : 1]!.slice(0, n), n: 3, instructions });
  await node.dispose();

  await openHarness(page);
  const result = await page.evaluate(
    async ({ ranker, fuser, inputs, candidates, instructions }) => {
      const blender = await window.harness.api.createBlender({ ranker, fuser, dtype: 'fp32' });
      const fused = await blender.rankAndFuse(inputs, candidates, { instructions, topK: 2, maxNewTokens: 8 });
      const prompts: string[] = [];
      const best = await blender.bestOfN(inputs, {
        generate: async (prompt, n) => {
          prompts.push(prompt);
          return candidates[prompt.startsWith('Answer') ? 0 : 1]!.slice(0, n);
        },
        n: 3,
        instructions,
      });
      await blender.dispose();
      return { fused, best, prompts };
    },
    { ranker: RANKER, fuser: FUSER, inputs, candidates, instructions },
  );
  expect(result.fused.ranks).toEqual(expected.ranks);
  expect(result.fused.topCandidates).toEqual(expected.topCandidates);
  expect(result.fused.fused).toEqual(expected.fused);
  expect(result.prompts).toEqual(['Answer.\nWhat is free software?', 'Be brief.\nSummarize the license.']);
  expect(result.best).toEqual(expectedBest);
});

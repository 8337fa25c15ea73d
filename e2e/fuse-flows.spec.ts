// The fuser's flows in the page: abort mid-generation leaves the fuser usable, rankAndFuse
// and bestOfN run end to end on the tiny models. Backend-independent: the WASM project runs
// it (e2e/fuse.spec.ts checks the fuser on both backends).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createBlender as createNodeBlender } from '../src/node/index';
import { goldens, TINY_FUSER, TINY_PAIRRM, withinLimit } from '../test/fuse/fuser-goldens';
import { openHarness } from './harness-helpers';

const FUSER = '/models/tiny-fuser';
const RANKER = '/models/tiny-pairrm';

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

test('a fuser whose config.json lacks decoder_start_token_id fails to load with MODEL_INVALID, without a fallback', async ({ page, context }) => {
  // The tiny fuser served with that id removed from config.json, its manifest entry updated
  // to match (the store verifies every file against the manifest).
  const config = JSON.parse(readFileSync(join(TINY_FUSER, 'config.json'), 'utf8')) as Record<string, unknown>;
  delete config['decoder_start_token_id'];
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = JSON.parse(readFileSync(join(TINY_FUSER, 'manifest.json'), 'utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
  manifest.files = manifest.files.map((file) =>
    file.path === 'config.json' ? { ...file, bytes: configBytes.length, sha256: createHash('sha256').update(configBytes).digest('hex') } : file,
  );
  await context.route(`**${FUSER}/config.json`, (route) => route.fulfill({ body: configBytes, contentType: 'application/json' }));
  await context.route(`**${FUSER}/manifest.json`, (route) => route.fulfill({ json: manifest }));
  await openHarness(page);
  const result = await page.evaluate(async (fuser) => {
    const stages: string[] = [];
    // device auto: on a WebGPU page a load failure that WebGPU could explain falls back to WASM;
    // an invalid folder must not.
    const error = await window.harness.api.createBlender({ ranker: null, fuser, dtype: 'fp32', onProgress: (event) => stages.push(event.stage) }).then(
      async (blender) => {
        await blender.dispose();
        return null;
      },
      (e: { code?: string; argument?: string; message?: string }) => ({ code: e.code, argument: e.argument, message: e.message }),
    );
    return { error, stages };
  }, FUSER);
  expect(result.error).toMatchObject({ code: 'MODEL_INVALID', argument: 'options.fuser', message: expect.stringContaining('decoder_start_token_id') });
  expect(result.stages).toContain('session');
  expect(result.stages).not.toContain('fallback');
});

// Malformed fuse / rankAndFuse / bestOfN calls and fuser configurations: each one a
// BlenderError with a stable code naming the argument, as the ranking engine does.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlender, isBlenderError, type BlenderErrorCode, type NodeBlender, type NodeBlenderOptions } from '../../src/node';
import { TINY_FUSER, TINY_PAIRRM } from './fuser-goldens';

async function codeOf(run: () => Promise<unknown>): Promise<[BlenderErrorCode | `NOT_A_BLENDER_ERROR: ${string}`, string | undefined]> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBlenderError(error)) return [`NOT_A_BLENDER_ERROR: ${String(error)}`, undefined];
  return [error.code, error.argument];
}

const blender = createBlender({ ranker: TINY_PAIRRM, fuser: TINY_FUSER, threads: 1 });
afterAll(async () => (await blender).dispose());
const generate = (_prompt: string, n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
type Call = (b: NodeBlender) => Promise<unknown>;
const loose = (value: unknown) => value as never;

const calls: [string, Call, BlenderErrorCode, string][] = [
  ['fuse: inputs not an array', (b) => b.fuse(loose('x'), [['a']]), 'INVALID_ARGUMENT', 'inputs'],
  ['fuse: a candidate not a string', (b) => b.fuse(['x'], [[loose(1)]]), 'INVALID_ARGUMENT', 'candidates[0][0]'],
  ['fuse: candidates not parallel', (b) => b.fuse(['x', 'y'], [['a']]), 'LENGTH_MISMATCH', 'candidates'],
  ['fuse: an empty candidate list', (b) => b.fuse(['x'], [[]]), 'EMPTY_CANDIDATES', 'candidates[0]'],
  ['fuse: instructions not parallel', (b) => b.fuse(['x'], [['a']], { instructions: ['i', 'j'] }), 'LENGTH_MISMATCH', 'options.instructions'],
  ['fuse: an unknown option', (b) => b.fuse(['x'], [['a']], loose({ num_beams: 2 })), 'UNKNOWN_OPTION', 'options.num_beams'],
  ['fuse: numBeams 0', (b) => b.fuse(['x'], [['a']], { numBeams: 0 }), 'INVALID_OPTION', 'options.numBeams'],
  ['fuse: maxNewTokens 1.5', (b) => b.fuse(['x'], [['a']], { maxNewTokens: 1.5 }), 'INVALID_OPTION', 'options.maxNewTokens'],
  ['fuse: onToken not a function', (b) => b.fuse(['x'], [['a']], { onToken: loose('log') }), 'INVALID_OPTION', 'options.onToken'],
  ['fuse: signal not a signal', (b) => b.fuse(['x'], [['a']], { signal: loose({}) }), 'INVALID_OPTION', 'options.signal'],
  ['fuse: an aborted signal', (b) => b.fuse(['x'], [['a']], { signal: AbortSignal.abort() }), 'ABORTED', 'options.signal'],
  ['rankAndFuse: topK 0', (b) => b.rankAndFuse(['x'], [['a']], { topK: 0 }), 'INVALID_OPTION', 'options.topK'],
  ['rankAndFuse: a rank-only option', (b) => b.rankAndFuse(['x'], [['a']], loose({ strategy: 'full' })), 'UNKNOWN_OPTION', 'options.strategy'],
  ['rankAndFuse: an empty candidate list', (b) => b.rankAndFuse(['x', 'y'], [['a'], []]), 'EMPTY_CANDIDATES', 'candidates[1]'],
  ['bestOfN: no options', (b) => b.bestOfN(['x'], loose(undefined)), 'INVALID_ARGUMENT', 'options'],
  ['bestOfN: no generate', (b) => b.bestOfN(['x'], loose({ n: 2 })), 'INVALID_OPTION', 'options.generate'],
  ['bestOfN: prompts not strings', (b) => b.bestOfN([loose(3)], { generate }), 'INVALID_ARGUMENT', 'prompts[0]'],
  ['bestOfN: n 0', (b) => b.bestOfN(['x'], { generate, n: 0 }), 'INVALID_OPTION', 'options.n'],
  ['bestOfN: an unknown strategy', (b) => b.bestOfN(['x'], { generate, strategy: loose('best') }), 'INVALID_OPTION', 'options.strategy'],
  ['bestOfN: seed with full', (b) => b.bestOfN(['x'], { generate, strategy: 'full', seed: 1 }), 'INVALID_OPTION', 'options.seed'],
  ['bestOfN: generate returns too few', (b) => b.bestOfN(['x'], { generate: () => ['a'], n: 2 }), 'INVALID_ARGUMENT', 'options.generate'],
  ['bestOfN: generate returns a non-string', (b) => b.bestOfN(['x'], { generate: () => loose(['a', 2]), n: 2 }), 'INVALID_ARGUMENT', 'options.generate'],
];

describe('malformed fusion calls (Node, tiny models)', () => {
  it.each(calls)('%s', async (_name, call, code, argument) => {
    const b = await blender;
    expect(await codeOf(() => call(b))).toEqual([code, argument]);
  });

  it('a failing generate rejects with its own error', async () => {
    const b = await blender;
    const failing = () => Promise.reject(new Error('LLM offline'));
    await expect(b.bestOfN(['x'], { generate: failing })).rejects.toThrow('LLM offline');
  });
});

describe('fuser configuration (Node)', () => {
  const bad: [string, unknown, BlenderErrorCode, string][] = [
    ['a fuser that is not a string', { fuser: 42 }, 'INVALID_OPTION', 'options.fuser'],
    ['a fuser folder that is not a model', { fuser: 'test/fuse' }, 'MODEL_INVALID', 'options.fuser'],
    ['a ranker folder as fuser', { fuser: TINY_PAIRRM }, 'INVALID_OPTION', 'options.dtype'],
  ];
  it.each(bad)('rejects %s', async (_name, options, code, argument) => {
    expect(await codeOf(() => createBlender({ ranker: null, ...(options as NodeBlenderOptions) }))).toEqual([code, argument]);
  });

  // Generation reads these ids from config.json; without one a folder used to load and then
  // fail at its first fuse (in a page, at the warm-up, after a pointless WebGPU->WASM retry).
  it.each(['decoder_start_token_id', 'pad_token_id'])('rejects at load a fuser whose config.json lacks %s', async (key) => {
    const folder = mkdtempSync(join(tmpdir(), 'fuser-config-'));
    try {
      cpSync(TINY_FUSER, folder, { recursive: true });
      const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
      delete config[key];
      writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
      const error = await createBlender({ ranker: null, fuser: folder, dtype: 'fp32', threads: 1 }).then(
        async (loaded) => {
          await loaded.dispose();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'BlenderError', code: 'MODEL_INVALID', argument: 'options.fuser' });
      expect((error as Error).message).toContain(key);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('without a fuser: fuse and rankAndFuse FUSER_NOT_LOADED; without a ranker: rankAndFuse and bestOfN RANKER_NOT_LOADED', async () => {
    const rankerOnly = await createBlender({ ranker: TINY_PAIRRM });
    expect(await codeOf(() => rankerOnly.fuse(['x'], [['a']]))).toEqual(['FUSER_NOT_LOADED', 'options.fuser']);
    expect(await codeOf(() => rankerOnly.rankAndFuse(['x'], [['a']]))).toEqual(['FUSER_NOT_LOADED', 'options.fuser']);
    await rankerOnly.dispose();
    const fuserOnly = await createBlender({ ranker: null, fuser: TINY_FUSER, dtype: 'q8' });
    expect(await codeOf(() => fuserOnly.rankAndFuse(['x'], [['a']]))).toEqual(['RANKER_NOT_LOADED', 'options.ranker']);
    expect(await codeOf(() => fuserOnly.bestOfN(['x'], { generate }))).toEqual(['RANKER_NOT_LOADED', 'options.ranker']);
    expect((await fuserOnly.info()).fuser).toMatchObject({
      dtype: 'q8',
      files: ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx'],
    });
    expect((await fuserOnly.fuse(['x'], [['a']], { maxNewTokens: 3 }))[0]).toEqual(expect.any(String));
    await fuserOnly.dispose();
    expect(await codeOf(() => fuserOnly.fuse(['x'], [['a']]))).toEqual(['DISPOSED', undefined]);
  });
});

import { describe, expect, it } from 'vitest';
import { createBlender, isBlenderError, type BlenderErrorCode, type NodeBlenderOptions } from '../../src/node';
import { TINY_PAIRRM, tinyBlender } from './tiny-model';

async function codeOf(promise: Promise<unknown>): Promise<[BlenderErrorCode | `NOT_A_BLENDER_ERROR: ${string}`, string | undefined]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBlenderError(error)) return [`NOT_A_BLENDER_ERROR: ${String(error)}`, undefined];
  return [error.code, error.argument];
}

describe('createBlender (Node)', () => {
  const bad: [string, unknown, BlenderErrorCode, string][] = [
    ['an unknown option', { ranker: TINY_PAIRRM, rankr: 1 }, 'UNKNOWN_OPTION', 'options.rankr'],
    ['a browser device', { ranker: TINY_PAIRRM, device: 'webgpu' }, 'BACKEND_UNAVAILABLE', 'options.device'],
    ['an unknown dtype', { ranker: TINY_PAIRRM, dtype: 'int3' }, 'INVALID_OPTION', 'options.dtype'],
    ['a ranker that is not a string', { ranker: 42 }, 'INVALID_OPTION', 'options.ranker'],
    ['a folder that is not a model', { ranker: 'test/engine' }, 'MODEL_INVALID', 'options.ranker'],
    ['a fuser that is not a string', { ranker: null, fuser: 42 }, 'INVALID_OPTION', 'options.fuser'],
    ['threads 0', { ranker: TINY_PAIRRM, threads: 0 }, 'INVALID_OPTION', 'options.threads'],
  ];
  it.each(bad)('rejects %s', async (_name, options, code, argument) => {
    expect(await codeOf(createBlender(options as NodeBlenderOptions))).toEqual([code, argument]);
  });

  it('without a ranker, ranking rejects with RANKER_NOT_LOADED; fuse with FUSER_NOT_LOADED', async () => {
    const blender = await createBlender({ ranker: null, fuser: null });
    expect(await codeOf(blender.rank(['x'], [['a']]))).toEqual(['RANKER_NOT_LOADED', 'options.ranker']);
    expect(await codeOf(blender.fuse(['x'], [['a']]))).toEqual(['FUSER_NOT_LOADED', 'options.fuser']);
    expect(await codeOf(blender.rankAndFuse(['x'], [['a']]))).toEqual(['FUSER_NOT_LOADED', 'options.fuser']);
    expect((await blender.info()).ranker).toBeNull();
    await blender.dispose();
  });

  it('loads every dtype the folder has; auto = fp32; relative and absolute paths', async () => {
    const scores: Record<string, number[][]> = {};
    for (const dtype of ['fp32', 'fp16', 'q8', 'q4'] as const) {
      const blender = await tinyBlender({ dtype });
      expect((await blender.info()).ranker).toMatchObject({
        dtype,
        files: [`onnx/model${{ fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' }[dtype]}.onnx`],
      });
      scores[dtype] = await blender.rank(['hello'], [['hi there', 'go away', 'hello to you']], { returnScores: true });
      await blender.dispose();
    }
    for (const row of Object.values(scores)) for (const value of row[0]!) expect(Number.isFinite(value)).toBe(true);
    const auto = await createBlender({ ranker: `${process.cwd()}/${TINY_PAIRRM}`, dtype: 'auto' });
    expect((await auto.info()).ranker?.dtype).toBe('fp32');
    expect(await auto.rank(['hello'], [['hi there', 'go away', 'hello to you']], { returnScores: true })).toEqual(scores['fp32']);
    await auto.dispose();
  });
});

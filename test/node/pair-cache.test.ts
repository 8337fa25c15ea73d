// createBlender({ pairCache }) in Node: the option, and info().ranker.pairCache's counts.
import { describe, expect, it } from 'vitest';
import { createBlender, isBlenderError, type NodeBlenderOptions } from '../../src/node';
import { DEFAULT_PAIR_CACHE_SIZE } from '../../src/engine/pair-cache';
import { TINY_PAIRRM, tinyBlender } from './tiny-model';

const candidates = ['hi there', 'go away', 'hello, friend', 'ok'];
const pairs = candidates.length * (candidates.length - 1);

describe('createBlender({ pairCache }) in Node', () => {
  it.each([-1, 1.5, '10', Number.NaN])('rejects pairCache %s with INVALID_OPTION naming options.pairCache', async (pairCache) => {
    const error = await createBlender({ ranker: TINY_PAIRRM, pairCache } as NodeBlenderOptions).catch((caught: unknown) => caught);
    expect(isBlenderError(error) && [error.code, error.argument]).toEqual(['INVALID_OPTION', 'options.pairCache']);
  });

  it('counts misses, then hits on a repeated rank, with the same ranks and no new passes', async () => {
    const blender = await tinyBlender();
    expect((await blender.info()).ranker?.pairCache).toEqual({ size: 0, capacity: DEFAULT_PAIR_CACHE_SIZE, hits: 0, misses: 0 });
    const first = await blender.rank(['hello?'], [candidates], { returnScores: true });
    const passes = (await blender.info()).ranker!.passes;
    expect(passes).toBe(pairs);
    const again = await blender.rank(['hello?'], [candidates], { returnScores: true });
    const info = (await blender.info()).ranker!;
    expect(again).toEqual(first);
    expect(info.passes).toBe(pairs);
    expect(info.pairCache).toEqual({ size: pairs, capacity: DEFAULT_PAIR_CACHE_SIZE, hits: pairs, misses: pairs });
    await blender.dispose();
  });

  it('pairCache: 0 runs every pair again and reports capacity 0', async () => {
    const blender = await tinyBlender({ pairCache: 0 });
    const first = await blender.rank(['hello?'], [candidates], { returnScores: true });
    const again = await blender.rank(['hello?'], [candidates], { returnScores: true });
    const info = (await blender.info()).ranker!;
    expect(again).toEqual(first);
    expect(info.passes).toBe(2 * pairs);
    expect(info.pairCache).toEqual({ size: 0, capacity: 0, hits: 0, misses: 0 });
    await blender.dispose();
  });

  it('a small pairCache holds at most that many entries', async () => {
    const blender = await tinyBlender({ pairCache: 5 });
    await blender.rank(['hello?'], [candidates]);
    expect((await blender.info()).ranker!.pairCache).toEqual({ size: 5, capacity: 5, hits: 0, misses: pairs });
    await blender.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { bubblePasses, bubbleRanks, bubbleWinners, type CandidatePair } from '../../src/engine/bubble';
import { mulberry32, randomPermutation } from '../../src/engine/seeded-random';

/** A scorer over fixed matrices that records every pair it scores. */
function matrixScorer(matrices: number[][][]) {
  const seen: CandidatePair[][] = [];
  const score = async (pairs: readonly CandidatePair[]) => {
    seen.push([...pairs]);
    return pairs.map(({ input, first, second }) => matrices[input]![first]![second]!);
  };
  return { score, seen };
}

describe('bubble selection', () => {
  it('finds the best candidate of a consistent order with 2(N-1) passes', async () => {
    const quality = [0.3, 2, -1, 0.9, 1.5];
    const m = quality.map((qi) => quality.map((qj) => qi - qj));
    for (const seed of [0, 1, 2, 99]) {
      const { score, seen } = matrixScorer([m]);
      expect(await bubbleWinners([5], seed, score)).toEqual([1]);
      expect(seen.flat()).toHaveLength(bubblePasses([5]));
      expect(bubblePasses([5])).toBe(8);
    }
  });

  it('same seed, same order and winner; the order is a seeded permutation', async () => {
    // A cyclic preference: the winner depends on the order walked.
    const m = [
      [0, 1, -1],
      [-1, 0, 1],
      [1, -1, 0],
    ];
    const winnersBySeed = new Map<number, number>();
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const first = await bubbleWinners([3], seed, matrixScorer([m]).score);
      const again = await bubbleWinners([3], seed, matrixScorer([m]).score);
      expect(again).toEqual(first);
      winnersBySeed.set(seed, first[0]!);
    }
    expect(new Set(winnersBySeed.values()).size).toBeGreaterThan(1);
    const perm = randomPermutation(7, mulberry32(42));
    expect([...perm].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(randomPermutation(7, mulberry32(42))).toEqual(perm);
  });

  it('a tie goes to the next candidate (s > 0 keeps the current one)', async () => {
    const tie = [
      [0, 0.5],
      [0.5, 0],
    ];
    const order = randomPermutation(2, mulberry32(3));
    expect(await bubbleWinners([2], 3, matrixScorer([tie]).score)).toEqual([order[1]]);
  });

  it('walks inputs in lockstep, ragged counts included; N = 1 needs no pass', async () => {
    const q = [[1, 5, 2], [0], [3, 1, 4, 1, 5]];
    const matrices = q.map((row) => row.map((qi) => row.map((qj) => qi - qj)));
    const { score, seen } = matrixScorer(matrices);
    const winners = await bubbleWinners([3, 1, 5], 7, score);
    expect(winners).toEqual([1, 0, 4]);
    expect(seen).toHaveLength(4); // rounds = max N - 1
    expect(seen.flat()).toHaveLength(bubblePasses([3, 1, 5]));
    expect(bubbleRanks([3, 1, 5], winners)).toEqual([[2, 1, 2], [1], [2, 2, 2, 2, 1]]);
  });
});

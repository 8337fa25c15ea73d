import { describe, expect, it } from 'vitest';
import { tournamentRanks } from '../../src/engine/strategies/tournament';
import { byStrength, log2ceil, matrixScorer, randomMatrix, transitive } from './strategy-scorers';

const NS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('tournament', () => {
  it('never exceeds 2(N−1 + (k−1)⌈log₂N⌉) passes and gives ranks 1..k then k+1 (random preferences, N = 1..40)', async () => {
    for (const n of NS) {
      for (const k of new Set([1, 2, 3, Math.ceil(n / 2), n].filter((k) => k <= n))) {
        for (const orders of ['both', 'one'] as const) {
          const { score, passes } = matrixScorer([randomMatrix(n, 1000 * n + k)]);
          const result = await tournamentRanks([n], k, orders, score);
          const bound = 2 * (n - 1 + (k - 1) * log2ceil(n));
          expect(passes()).toBe(result.passes);
          expect(passes()).toBeLessThanOrEqual(orders === 'both' ? bound : bound / 2);
          const ranks = result.ranks[0]!;
          expect([...ranks].sort((a, b) => a - b)).toEqual([...Array.from({ length: k }, (_, i) => i + 1), ...Array<number>(n - k).fill(k + 1)]);
          expect(result.top[0]!.map((c) => ranks[c])).toEqual(Array.from({ length: k }, (_, i) => i + 1));
        }
      }
    }
  });

  it('k = 1: ⌈log₂N⌉ rounds, N−1 matches, each pair in both orders', async () => {
    for (const n of NS) {
      const { score, calls } = matrixScorer([randomMatrix(n, n)]);
      await tournamentRanks([n], 1, 'both', score);
      expect(calls).toHaveLength(log2ceil(n));
      const pairs = calls.flat();
      expect(pairs).toHaveLength(2 * (n - 1));
      for (let p = 0; p < pairs.length; p += 2) expect([pairs[p + 1]!.first, pairs[p + 1]!.second]).toEqual([pairs[p]!.second, pairs[p]!.first]);
    }
  });

  it('transitive preferences: the top k in order, whatever the position bias in the both order', async () => {
    for (const n of [1, 2, 3, 5, 8, 13, 16, 17, 31, 40]) {
      for (const seed of [1, 2, 3]) {
        const { strengths, matrix } = transitive(n, seed, 0.7 * seed);
        const best = byStrength(strengths);
        for (const k of new Set([1, 2, Math.min(n, 5), n].filter((k) => k <= n))) {
          const result = await tournamentRanks([n], k, 'both', matrixScorer([matrix]).score);
          expect(result.top[0]).toEqual(best.slice(0, k));
          expect(result.ranks[0]).toEqual(strengths.map((_, i) => Math.min(best.indexOf(i) + 1, k + 1)));
        }
      }
    }
  });

  it('inputs advance in lockstep: one scorer call per round for all inputs, ragged counts included', async () => {
    const counts = [5, 1, 9, 2];
    const cases = counts.map((n, i) => transitive(n, 10 + i));
    const { score, calls } = matrixScorer(cases.map((c) => c.matrix));
    const result = await tournamentRanks(counts, 1, 'both', score);
    expect(calls).toHaveLength(Math.max(...counts.map(log2ceil)));
    expect(result.rounds).toBe(calls.length);
    expect(result.top.map((top) => top[0])).toEqual(cases.map((c) => byStrength(c.strengths)[0]));
  });

  it('a tie goes to the lower index; the one order plays only M(a,b) with a the lower index', async () => {
    const ties = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    expect((await tournamentRanks([3], 3, 'both', matrixScorer([ties]).score)).top).toEqual([[0, 1, 2]]);
    // A strong first-position bias: in the one order whoever is first wins, so the lowest index.
    const { strengths, matrix } = transitive(8, 4, 100);
    const one = matrixScorer([matrix]);
    expect((await tournamentRanks([8], 1, 'one', one.score)).top).toEqual([[0]]);
    expect(one.calls.flat().every((pair) => pair.first < pair.second)).toBe(true);
    expect((await tournamentRanks([8], 1, 'both', matrixScorer([matrix]).score)).top).toEqual([[byStrength(strengths)[0]]]);
  });

  it("a Condorcet winner always wins, even where it is not full's best (the knockout's ceiling, bench/strategies/matrix-stats.ts)", async () => {
    let notFullsBest = 0;
    for (let n = 2; n <= 40; n++) {
      for (const seed of [1, 2]) {
        // Random intransitive logits, then candidate w made to win every both-order match narrowly.
        const m = randomMatrix(n, 3000 + 10 * n + seed);
        const w = (7 * n + seed) % n;
        for (let j = 0; j < n; j++) {
          if (j === w) continue;
          const gap = m[w]![j]! - m[j]![w]!;
          if (gap <= 0) m[w]![j] = m[j]![w]! + 0.01;
        }
        const full = m.map((row, i) => row.reduce((sum, x, j) => sum + x - m[j]![i]!, 0));
        if (full.indexOf(Math.max(...full)) !== w) notFullsBest++;
        const result = await tournamentRanks([n], 1, 'both', matrixScorer([m]).score);
        expect(result.top[0]).toEqual([w]);
      }
    }
    // The property matters because it happens: some of these winners are not full's best.
    expect(notFullsBest).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { mergeMatchBound, sortMatchBound, sortRanks } from '../../src/engine/strategies/sort';
import { byStrength, log2ceil, matrixScorer, randomMatrix, transitive } from './strategy-scorers';

const NS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('sort', () => {
  it('never exceeds 2N⌈log₂N⌉ passes and always gives a strict order (random preferences, N = 1..40)', async () => {
    for (const n of NS) {
      for (const seed of [1, 2, 3]) {
        for (const orders of ['both', 'one'] as const) {
          const { score, calls, passes } = matrixScorer([randomMatrix(n, 100 * n + seed)]);
          const result = await sortRanks([n], orders, score);
          const bound = 2 * n * log2ceil(n);
          expect(passes()).toBe(result.passes);
          expect(passes()).toBeLessThanOrEqual(orders === 'both' ? bound : bound / 2);
          expect(result.rounds).toBe(calls.length);
          expect([...result.ranks[0]!].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
          // No pair is played twice within a call (the two ends of a merge never meet).
          const keys = calls.flatMap((call) => call.map(({ first, second }) => `${first}|${second}`));
          expect(new Set(keys).size).toBe(keys.length);
        }
      }
    }
  });

  it("transitive preferences: exactly full's order (by strength), whatever the position bias", async () => {
    for (const n of NS) {
      const { strengths, matrix } = transitive(n, n, 0.3 * (n % 4));
      const result = await sortRanks([n], 'both', matrixScorer([matrix]).score);
      expect(result.orders[0]).toEqual(byStrength(strengths));
      const expectedRanks = strengths.map((s) => 1 + strengths.filter((o) => o > s).length);
      expect(result.ranks[0]).toEqual(expectedRanks);
    }
  });

  it('rounds: about N, against about N⌈log₂N⌉ matches (both ends of a merge advance together, merges in parallel)', async () => {
    for (const n of [8, 16, 31, 32, 40, 64]) {
      for (const matrix of [transitive(n, 7).matrix, randomMatrix(n, 7)]) {
        const result = await sortRanks([n], 'both', matrixScorer([matrix]).score);
        // Each merge of T places 2 per round until a list is down to one, then a binary search.
        expect(result.rounds).toBeLessThanOrEqual(n + log2ceil(n) ** 2);
        expect(result.rounds).toBeLessThan(result.passes / 2);
      }
    }
  });

  it('ties keep index order; inputs advance in lockstep with ragged counts', async () => {
    const zeros = Array.from({ length: 6 }, () => Array<number>(6).fill(0));
    expect((await sortRanks([6], 'both', matrixScorer([zeros]).score)).orders).toEqual([[0, 1, 2, 3, 4, 5]]);
    const counts = [7, 1, 3, 12];
    const cases = counts.map((n, i) => transitive(n, 20 + i, 0.5));
    const lockstep = matrixScorer(cases.map((c) => c.matrix));
    const together = await sortRanks(counts, 'one', lockstep.score);
    expect(together.orders).toEqual(cases.map((c) => byStrength(c.strengths)));
    const alone = await Promise.all(counts.map((n, i) => sortRanks([n], 'one', matrixScorer([cases[i]!.matrix]).score)));
    expect(lockstep.calls).toHaveLength(Math.max(...alone.map((r) => r.rounds)));
    expect(together.passes).toBe(alone.reduce((sum, r) => sum + r.passes, 0));
  });

  it('the refinement spends what the merges leave, up to N⌈log₂N⌉ matches (capped by the pairs there are), and sometimes needs it', async () => {
    let refined = 0;
    for (const n of NS) {
      const bound = Math.min(n * log2ceil(n), (n * (n - 1)) / 2);
      expect(sortMatchBound(n)).toBe(bound);
      expect(mergeMatchBound(n)).toBeLessThanOrEqual(bound);
      const { score, passes } = matrixScorer([randomMatrix(n, 900 + n)]);
      await sortRanks([n], 'both', score);
      expect(passes()).toBeLessThanOrEqual(2 * bound);
      if (passes() > 2 * mergeMatchBound(n)) refined++;
    }
    expect(refined).toBeGreaterThan(NS.length / 2);
  });

  it("where the bound covers every pair (N = 3), the order is exactly full's max_logits order, even on intransitive preferences", async () => {
    for (let seed = 0; seed < 200; seed++) {
      const m = randomMatrix(3, 7000 + seed);
      const full = [0, 1, 2].map((i) => [0, 1, 2].reduce((sum, j) => sum + m[i]![j]! - m[j]![i]!, 0));
      const expected = [0, 1, 2].sort((a, b) => full[b]! - full[a]!);
      const { score, passes } = matrixScorer([m]);
      const result = await sortRanks([3], 'both', score);
      expect(passes()).toBe(6);
      expect(result.orders[0]).toEqual(expected);
    }
  });

  it('deterministic: the same preferences give the same matches, rounds and order, refinement included', async () => {
    for (const n of [5, 16, 33]) {
      const m = randomMatrix(n, 77 + n);
      const first = matrixScorer([m]);
      const second = matrixScorer([m]);
      const a = await sortRanks([n], 'both', first.score);
      const b = await sortRanks([n], 'both', second.score);
      expect(b.orders).toEqual(a.orders);
      expect(second.calls).toEqual(first.calls);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { CandidatePair } from '../../src/engine/bubble';
import { mulberry32 } from '../../src/engine/seeded-random';
import { adaptiveRank, type AdaptiveSettings } from '../../src/engine/strategies/adaptive';

/** A scorer over fixed matrices that records every call. */
function matrixScorer(matrices: readonly (readonly (readonly number[])[])[]) {
  const calls: CandidatePair[][] = [];
  const score = async (pairs: readonly CandidatePair[]) => {
    calls.push([...pairs]);
    return pairs.map(({ input, first, second }) => matrices[input]![first]![second]!);
  };
  return { score, calls };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** M(a,b) = q_a − q_b + a position bias + noise per ordered pair (so not always transitive). */
function simulatedMatrix(quality: readonly number[], noise: number, random: () => number): number[][] {
  return quality.map((qa, a) => quality.map((qb, b) => (a === b ? 0 : qa - qb + 0.3 + noise * gaussian(random))));
}

/** Kendall's τ-a between two score lists (higher = better in both). */
function kendallTau(x: readonly number[], y: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) sum += Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
  return sum / ((x.length * (x.length - 1)) / 2);
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
};

/** Passes an input may use, from the rules (whole matches, each unordered pair at most once). */
function usable(n: number, budget: number, orders: 'both' | 'one'): number {
  const cost = orders === 'both' ? 2 : 1;
  return cost * Math.min(Math.floor(budget / cost), (n * (n - 1)) / 2);
}

describe('adaptive strategy', () => {
  it('never exceeds the budget and spends all it can, for N = 2..40 in lockstep, both orders', async () => {
    const random = mulberry32(11);
    const counts = Array.from({ length: 39 }, (_, k) => k + 2);
    const matrices = counts.map((n) =>
      simulatedMatrix(
        Array.from({ length: n }, () => gaussian(random)),
        1,
        random,
      ),
    );
    for (const orders of ['both', 'one'] as const) {
      for (const budget of orders === 'both' ? [2, 7, 161, 2000] : [1, 50, 2000]) {
        const { score, calls } = matrixScorer(matrices);
        await adaptiveRank(counts, { budget, orders }, score);
        const byInput = counts.map(() => [] as CandidatePair[]);
        for (const pair of calls.flat()) byInput[pair.input]!.push(pair);
        counts.forEach((n, input) => {
          const seen = byInput[input]!;
          expect(seen.length).toBeLessThanOrEqual(budget);
          expect(seen.length).toBe(usable(n, budget, orders));
          // Never an ordered pair twice; with 'one' never both orders of a pair.
          const keys = seen.map(({ first, second }) => (orders === 'both' ? first * n + second : Math.min(first, second) * n + Math.max(first, second)));
          expect(new Set(keys).size).toBe(keys.length);
        });
      }
    }
  });

  it('defaults to 4N passes per input', async () => {
    const counts = [3, 6, 9];
    const matrices = counts.map((n) =>
      simulatedMatrix(
        Array.from({ length: n }, (_, i) => i),
        0,
        mulberry32(n),
      ),
    );
    const { score, calls } = matrixScorer(matrices);
    await adaptiveRank(counts, { budget: undefined, orders: 'both' }, score);
    counts.forEach((n, input) => expect(calls.flat().filter((pair) => pair.input === input).length).toBe(Math.min(4 * n, n * (n - 1))));
  });

  it('with a budget of every pair on transitive preferences, orders candidates as full does, in rounds that each are one scorer call', async () => {
    const random = mulberry32(5);
    const counts = [2, 5, 8, 13];
    const qualities = counts.map((n) => Array.from({ length: n }, () => gaussian(random)));
    const matrices = qualities.map((q) => simulatedMatrix(q, 0, random));
    for (const orders of ['both', 'one'] as const) {
      const settings: AdaptiveSettings = { budget: 13 * 12, orders };
      const { score, calls } = matrixScorer(matrices);
      const rounds: number[][][] = [];
      const result = await adaptiveRank(counts, settings, score, (ranks) => rounds.push(ranks));
      // full's max_logits score is (1/N) Σ_j (M[i][j] − M[j][i]) = 2 q_i − 2 mean(q): the order of q.
      const expected = qualities.map((q) => q.map((qi) => 1 + q.filter((other) => other > qi).length));
      expect(result.strengths.map((s) => s.map((si) => 1 + s.filter((other) => other > si).length))).toEqual(expected);
      expect(rounds).toHaveLength(calls.length);
      expect(rounds.at(-1)).toEqual(expected);
      // Every run pair is in the matrix, NaN elsewhere.
      result.matrices.forEach((matrix, input) =>
        matrix.forEach((row, i) =>
          row.forEach((value, j) => {
            const ran = calls.flat().some((p) => p.input === input && p.first === i && p.second === j);
            if (i === j) expect(value).toBe(0);
            else if (ran) expect(value).toBe(matrices[input]![i]![j]);
            else expect(value).toBeNaN();
          }),
        ),
      );
      if (orders === 'both') expect(result.matrices.flat(2).some(Number.isNaN)).toBe(false);
    }
  });

  it('reports its median Kendall τ with the true order at a budget of 4N (and full’s, for scale)', async () => {
    const taus: number[] = [];
    const fullTaus: number[] = [];
    const noise = 1;
    for (let seed = 0; seed < 40; seed++) {
      const random = mulberry32(1000 + seed);
      const n = 8 + (seed % 9); // N = 8..16
      const quality = Array.from({ length: n }, () => gaussian(random));
      const matrix = simulatedMatrix(quality, noise, random);
      const result = await adaptiveRank([n], { budget: 4 * n, orders: 'both' }, matrixScorer([matrix]).score);
      taus.push(kendallTau(result.strengths[0]!, quality));
      fullTaus.push(
        kendallTau(
          matrix.map((row, i) => row.reduce((sum, m, j) => sum + m - matrix[j]![i]!, 0)),
          quality,
        ),
      );
    }
    console.log(
      `adaptive @4N: median Kendall tau ${median(taus).toFixed(3)}; full @N(N-1): ${median(fullTaus).toFixed(3)} (40 sets, N = 8..16, noise ${noise})`,
    );
    expect(median(taus)).toBeGreaterThan(0.7); // measured 0.786
  });
});

import { describe, expect, it } from 'vitest';
import { kendallTauB } from '../../bench/strategies/agreement';
import { MatrixRanker } from '../../bench/strategies/matrix-ranker';
import { cyclesFor, DEFAULT_SIMULATION, gaussian, simulateSet } from '../../bench/strategies/simulate';
import { mulberry32 } from '../../src/engine/seeded-random';

const combined = (m: number[][], x: number, y: number) => m[x]![y]! - m[y]![x]!;
const sd = (values: readonly number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
};

describe('simulated preference matrices', () => {
  it('are reproducible from the seed and differ between seeds', () => {
    expect(simulateSet(16, 7)).toEqual(simulateSet(16, 7));
    expect(simulateSet(16, 8).matrix).not.toEqual(simulateSet(16, 7).matrix);
  });

  it('without noise or cycles: M[i][j] = s_i - s_j + bias, a transitive order', () => {
    const { matrix, strengths, cycles } = simulateSet(8, 3, { ...DEFAULT_SIMULATION, noise: 0, cycles: 0 });
    expect(cycles).toEqual([]);
    matrix.forEach((row, i) =>
      row.forEach((value, j) => expect(value).toBeCloseTo(i === j ? 0 : strengths[i]! - strengths[j]! + DEFAULT_SIMULATION.positionBias, 12)),
    );
  });

  it('the injected triples are disjoint cycles: a beats b, b beats c, c beats a (both orders summed)', () => {
    for (const [n, seed] of [
      [4, 1],
      [8, 2],
      [16, 3],
      [32, 4],
    ] as const) {
      const { matrix, cycles } = simulateSet(n, seed);
      expect(cycles).toHaveLength(Math.min(cyclesFor(n), Math.floor(n / 3)));
      expect(new Set(cycles.flat()).size).toBe(3 * cycles.length);
      for (const [a, b, c] of cycles) {
        expect(combined(matrix, a, b)).toBeGreaterThan(0);
        expect(combined(matrix, b, c)).toBeGreaterThan(0);
        expect(combined(matrix, c, a)).toBeGreaterThan(0);
      }
      matrix.forEach((row, i) => expect(row[i]).toBe(0));
    }
    expect([4, 8, 16, 32].map(cyclesFor)).toEqual([1, 1, 2, 4]);
  });

  it('the triples change only their own edges: the same seed without cycles is the same matrix elsewhere', () => {
    const withCycles = simulateSet(16, 21);
    const control = simulateSet(16, 21, { ...DEFAULT_SIMULATION, cycles: 0 });
    const edges = new Set(withCycles.cycles.flatMap(([a, b, c]) => [`${a},${b}`, `${b},${a}`, `${b},${c}`, `${c},${b}`, `${c},${a}`, `${a},${c}`]));
    expect(edges.size).toBe(12);
    expect(control.strengths).toEqual(withCycles.strengths);
    withCycles.matrix.forEach((row, i) => row.forEach((value, j) => expect(value === control.matrix[i]![j]).toBe(!edges.has(`${i},${j}`))));
  });

  it('strengths and noise have the configured spreads', () => {
    const random = mulberry32(5);
    const draws = Array.from({ length: 20000 }, () => gaussian(random));
    expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length)).toBeLessThan(0.03);
    expect(sd(draws)).toBeCloseTo(1, 1);
    const strengths: number[] = [];
    const residuals: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const set = simulateSet(16, seed, { ...DEFAULT_SIMULATION, cycles: 0 });
      strengths.push(...set.strengths);
      set.matrix.forEach((row, i) =>
        row.forEach((value, j) => i !== j && residuals.push(value - (set.strengths[i]! - set.strengths[j]! + DEFAULT_SIMULATION.positionBias))),
      );
    }
    expect(sd(strengths) / DEFAULT_SIMULATION.strengthSpread).toBeCloseTo(1, 1);
    expect(sd(residuals) / DEFAULT_SIMULATION.noise).toBeCloseTo(1, 1);
  });
});

describe('the engine over a simulated matrix', () => {
  it("full's ranks are max_logits over the matrix, in N(N-1) passes and one round", async () => {
    const { matrix } = simulateSet(8, 11);
    // Independently: score_i = (1/N) sum_j (M[i][j] - M[j][i]); rank = 1 + #strictly better.
    // Logits pass through float32 (the model's output), as the engine sees them.
    const m = matrix.map((row) => row.map((v) => Math.fround(v)));
    const scores = m.map((_, i) => m.reduce((sum, _row, j) => sum + (m[i]![j]! - m[j]![i]!), 0) / m.length);
    const expected = scores.map((s) => 1 + scores.filter((t) => t > s).length);
    const result = await new MatrixRanker().rank(matrix, 0, { strategy: 'full' });
    expect(result).toEqual({ ranks: expected, passes: 56, rounds: 1 });
    expect(kendallTauB(result.ranks, expected)).toBe(1);
  });

  it('bubble: 2(N-1) passes in N-1 rounds, the same again for the same seed (no pair cache)', async () => {
    const ranker = new MatrixRanker();
    const { matrix } = simulateSet(8, 12);
    const first = await ranker.rank(matrix, 1, { strategy: 'bubble', seed: 3 });
    const again = await ranker.rank(matrix, 1, { strategy: 'bubble', seed: 3 });
    expect(first).toEqual({ ranks: first.ranks, passes: 14, rounds: 7 });
    expect(again).toEqual(first);
  });
});

import { describe, expect, it } from 'vitest';
import { fitMargins, type MarginMatch } from '../../src/engine/strategies/margin-fit';
import { mulberry32 } from '../../src/engine/seeded-random';
import { randomMatrix } from './strategy-scorers';

describe('fitMargins (least squares on match margins)', () => {
  it("on every pair it is full's max_logits score: (1/N) Σ_j (M(i,j) − M(j,i))", () => {
    for (const n of [2, 3, 7, 16]) {
      const m = randomMatrix(n, 40 + n);
      const matches: MarginMatch[] = [];
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) matches.push({ a, b, value: m[a]![b]! - m[b]![a]! });
      const fitted = fitMargins(n, matches);
      fitted.forEach((s, i) => {
        let score = 0;
        for (let j = 0; j < n; j++) score += m[i]![j]! - m[j]![i]!;
        expect(s).toBeCloseTo(score / n, 9);
      });
    }
  });

  it('recovers centred strengths exactly from exact margins on a sparse connected graph (a path plus a few chords)', () => {
    const random = mulberry32(5);
    const n = 30;
    const strengths = Array.from({ length: n }, () => 4 * random() - 2);
    const mean = strengths.reduce((a, b) => a + b, 0) / n;
    const pairs: [number, number][] = Array.from({ length: n - 1 }, (_, i) => [i, i + 1]);
    pairs.push([0, 10], [5, 29], [3, 17]);
    const fitted = fitMargins(
      n,
      pairs.map(([a, b]) => ({ a, b, value: strengths[a]! - strengths[b]! })),
    );
    fitted.forEach((s, i) => expect(s).toBeCloseTo(strengths[i]! - mean, 9));
  });

  it('a narrow win counts for less than a clear one: margins, not only who won', () => {
    // 0 beat 1 narrowly, 1 beat 2 clearly, 2 beat 0 clearly: 2 comes out on top.
    const fitted = fitMargins(3, [
      { a: 0, b: 1, value: 0.1 },
      { a: 1, b: 2, value: 2 },
      { a: 2, b: 0, value: 3 },
    ]);
    expect(fitted[2]).toBeGreaterThan(fitted[0]!);
    expect(fitted.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('no matches: every strength is 0 (the fitted order then falls back on the merge order)', () => {
    expect(fitMargins(4, [])).toEqual([0, 0, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CandidatePair } from '../../src/engine/bubble';
import { mulberry32 } from '../../src/engine/seeded-random';
import { adaptiveRank, marginScale } from '../../src/engine/strategies/adaptive';

const scorer =
  (matrix: readonly (readonly number[])[]) =>
  async (pairs: readonly CandidatePair[]): Promise<number[]> =>
    pairs.map(({ first, second }) => matrix[first]![second]!);

describe("adaptive's margin scale", () => {
  it('is the median |value| per pass, never below 1', () => {
    expect(marginScale([], 2)).toBe(1);
    expect(marginScale([0.2, -0.4], 2)).toBe(1);
    expect(marginScale([10, -6, 2], 2)).toBe(3);
    expect(marginScale([10, -6, 2, 30], 1)).toBe(8);
  });

  it("wide margins: with every pair played the order is full's max_logits order, which σ of the raw margins misses", async () => {
    // v(a,b) = M(a,b) − M(b,a). full: 1 (28), 2 (3), 0 (−13), 3 (−18). σ(v / 2) is near 0 or 1
    // for most matches, so 0's three narrow losses and 3's one narrow win against 0 would put
    // 3 above 0; divided by the median margin (3) the fit sees how much each lost by.
    const v = [
      [0, -7, -5, -1],
      [7, 0, 7, 14],
      [5, -7, 0, 5],
      [1, -14, -5, 0],
    ];
    const matrix = v.map((row) => row.map((x) => x / 2));
    const full = v.map((row) => row.reduce((a, b) => a + b, 0));
    const result = await adaptiveRank([4], { budget: 12, orders: 'both' }, scorer(matrix));
    const order = (xs: readonly number[]) => xs.map((_, i) => i).sort((a, b) => xs[b]! - xs[a]!);
    expect(order(full)).toEqual([1, 2, 0, 3]);
    expect(order(result.strengths[0]!)).toEqual(order(full));
  });

  it('strengths stay in logit units: scaling every logit by 10 scales the strengths and errors by about 10', async () => {
    const random = mulberry32(3);
    const quality = Array.from({ length: 10 }, () => 3 * random());
    const base = quality.map((qa, a) => quality.map((qb, b) => (a === b ? 0 : qa - qb)));
    const wide = base.map((row) => row.map((x) => 10 * x));
    const small = await adaptiveRank([10], { budget: 40, orders: 'both' }, scorer(base));
    const large = await adaptiveRank([10], { budget: 40, orders: 'both' }, scorer(wide));
    // Ranks agree; the wide fit's spread is about ten times the other's (the prior bends it a little).
    const spread = (xs: readonly number[]) => Math.max(...xs) - Math.min(...xs);
    const ratio = spread(large.strengths[0]!) / spread(small.strengths[0]!);
    expect(ratio).toBeGreaterThan(5);
    expect(ratio).toBeLessThan(20);
    const errorRatio = large.standardErrors[0]![0]! / small.standardErrors[0]![0]!;
    expect(errorRatio).toBeGreaterThan(3);
  });
});

import { describe, expect, it } from 'vitest';
import { bestOf, kendallTauB, topOneAgrees } from '../../bench/strategies/agreement';
import { log2Ceil, variantsFor } from '../../bench/strategies/variants';

describe('Kendall τ-b between two rankings', () => {
  it('is 1 for the same order and -1 for the reversed one', () => {
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('counts concordant and discordant pairs (hand-counted)', () => {
    // One swapped neighbour: 5 concordant, 1 discordant of 6 pairs.
    expect(kendallTauB([1, 2, 3, 4], [2, 1, 3, 4])).toBeCloseTo(4 / 6, 12);
    // x in order, y = 3 1 2 5 4: discordant pairs (1,2), (1,3), (4,5); 7 concordant of 10.
    expect(kendallTauB([1, 2, 3, 4, 5], [3, 1, 2, 5, 4])).toBeCloseTo(0.4, 12);
  });

  it('ties: neither concordant nor discordant, and the denominator drops them (τ-b)', () => {
    // b ties candidates 0 and 1: C = 2, D = 0, pairs 3, tied in b 1 -> 2 / sqrt(3 * 2).
    expect(kendallTauB([1, 2, 3], [1, 1, 2])).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(kendallTauB([1, 2, 3], [1, 1, 1])).toBeNaN();
    expect(kendallTauB([1], [1])).toBeNaN();
  });

  it('rejects rankings of different lengths', () => {
    expect(() => kendallTauB([1, 2], [1, 2, 3])).toThrow(/differ in length/);
  });
});

describe("top-1 agreement with full's ranking", () => {
  it("agrees when the other ranking's best is full's best", () => {
    expect(bestOf([2, 1, 3])).toEqual([1]);
    expect(topOneAgrees([2, 1, 3], [3, 1, 2])).toBe(true);
    expect(topOneAgrees([2, 1, 3], [1, 2, 2])).toBe(false);
  });

  it('a tie at the top of full accepts any of the tied; a tie in the other needs every tied one to be a best', () => {
    expect(topOneAgrees([1, 1, 3], [2, 1, 3])).toBe(true);
    expect(topOneAgrees([1, 2, 3], [1, 1, 3])).toBe(false);
    expect(topOneAgrees([1, 1, 2], [1, 1, 3])).toBe(true);
  });
});

describe('pass bounds of the benchmarked strategies', () => {
  it('⌈log₂ N⌉ and the issue bounds', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16, 32].map(log2Ceil)).toEqual([0, 1, 2, 2, 3, 3, 4, 4, 5]);
    const bound = (n: number, key: string) =>
      variantsFor(n)
        .find((v) => v.key === key)!
        .maxPasses(n);
    expect(bound(8, 'full')).toBe(56);
    expect(bound(8, 'tournament')).toBe(14);
    expect(bound(16, 'sort')).toBe(2 * 16 * 4);
    expect(bound(16, 'sort/one')).toBe(16 * 4);
    expect(bound(32, 'adaptive')).toBe(128);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/engine/seeded-random';
import { DEFAULT_PRIOR_VARIANCE, fitBradleyTerry, type Comparison } from '../../src/engine/strategies/bradley-terry';
import { swissPairing } from '../../src/engine/strategies/swiss-pairing';

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const centred = (xs: readonly number[]) => xs.map((x) => x - mean(xs));

/** Every unordered pair `times` times, outcome a win (1) or loss (0) drawn with P = σ(s_a − s_b). */
function simulate(truth: readonly number[], times: number, seed: number): Comparison[] {
  const random = mulberry32(seed);
  const comparisons: Comparison[] = [];
  for (let t = 0; t < times; t++) {
    truth.forEach((sa, a) =>
      truth.forEach((sb, b) => {
        if (a < b) comparisons.push({ a, b, outcome: random() < logistic(sa - sb) ? 1 : 0 });
      }),
    );
  }
  return comparisons;
}

describe('Bradley–Terry fit', () => {
  const truth = [-1.5, -0.6, 0, 0.4, 1.1, 2];

  it('recovers known strengths from many simulated win/loss comparisons, with calibrated standard errors', () => {
    const replications = 40;
    const fits = Array.from({ length: replications }, (_, seed) => fitBradleyTerry(truth.length, simulate(truth, 150, seed)));
    const target = centred(truth); // the prior pins the mean of the strengths at 0
    truth.forEach((_, i) => {
      const estimates = fits.map((fit) => fit.strengths[i]!);
      const spread = Math.sqrt(mean(estimates.map((e) => (e - mean(estimates)) ** 2)));
      // The mean of the replications is within 4 standard errors of the mean (of the spread
      // the simulation shows) plus the prior's pull, which is at most |s| / (variance · information).
      const information = truth.reduce((sum, sj, j) => (j === i ? sum : sum + 150 * logistic(truth[i]! - sj) * logistic(sj - truth[i]!)), 0);
      const shrink = Math.abs(target[i]!) / (DEFAULT_PRIOR_VARIANCE * information);
      expect(Math.abs(mean(estimates) - target[i]!)).toBeLessThan((4 * spread) / Math.sqrt(replications) + shrink);
      // Each fit's own standard error matches the spread the replications actually show.
      const reported = mean(fits.map((fit) => fit.standardErrors[i]!));
      expect(reported / spread).toBeGreaterThan(0.7);
      expect(reported / spread).toBeLessThan(1.4);
    });
  });

  it('soft outcomes equal to the true probabilities give the strengths back (a flat prior leaves no pull)', () => {
    const comparisons = truth.flatMap((sa, a) => truth.flatMap((sb, b) => (a < b ? [{ a, b, outcome: logistic(sa - sb) }] : [])));
    const fit = fitBradleyTerry(truth.length, comparisons, { priorVariance: 1e9 });
    fit.strengths.forEach((s, i) => expect(s).toBeCloseTo(centred(truth)[i]!, 6));
  });

  it('standard errors shrink as comparisons grow, from the prior alone down', () => {
    const none = fitBradleyTerry(truth.length, []);
    expect(none.strengths).toEqual(truth.map(() => 0));
    // Prior alone: s ~ N(0, v) each, so s_i − mean(s) has variance v (n − 1) / n.
    none.standardErrors.forEach((se) => expect(se).toBeCloseTo(Math.sqrt((DEFAULT_PRIOR_VARIANCE * (truth.length - 1)) / truth.length), 12));
    // Soft outcomes at the true probabilities, every pair `times` times: more of the same evidence.
    const once = truth.flatMap((sa, a) => truth.flatMap((sb, b) => (a < b ? [{ a, b, outcome: logistic(sa - sb) }] : [])));
    let previous = none.standardErrors;
    for (const times of [1, 2, 4, 8, 16, 32]) {
      const { standardErrors } = fitBradleyTerry(truth.length, Array.from({ length: times }, () => once).flat());
      standardErrors.forEach((se, i) => expect(se).toBeLessThan(previous[i]!));
      previous = standardErrors;
    }
  });

  it('stays finite when one candidate won everything (the prior keeps it finite)', () => {
    const fit = fitBradleyTerry(3, [
      { a: 0, b: 1, outcome: 1 },
      { a: 0, b: 2, outcome: 1 },
    ]);
    expect(fit.strengths.every(Number.isFinite)).toBe(true);
    expect(fit.strengths[0]).toBeGreaterThan(fit.strengths[1]!);
    expect(fit.strengths[1]).toBeCloseTo(fit.strengths[2]!, 12);
    expect(fit.strengths.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
  });
});

describe('Swiss pairing', () => {
  const never = () => false;

  it('pairs everyone in index order when strengths are equal (an odd one sits out)', () => {
    expect(swissPairing([0, 0, 0, 0], never)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(swissPairing([0, 0, 0, 0, 0], never)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('pairs neighbours in strength, best first, and never a pair that already met', () => {
    const strengths = [0.1, 3, -2, 2.5, -1.9, 0];
    expect(swissPairing(strengths, never)).toEqual([
      [1, 3],
      [0, 5],
      [4, 2],
    ]);
    const met = (a: number, b: number) => (a === 1 && b === 3) || (a === 3 && b === 1);
    expect(swissPairing(strengths, met)).toEqual([
      [1, 0],
      [3, 5],
      [4, 2],
    ]);
    expect(swissPairing([1, 0], () => true)).toEqual([]);
  });
});

/**
 * What a full preference matrix looks like, for calibrating the simulation to a real ranker
 * and for the ceiling of any knockout. M[i][j] is the logit of i (first) against j; a match's
 * value is v(i,j) = M[i][j] − M[j][i] (both orders), as the strategies play it.
 */
import { fitMargins } from '../../src/engine/strategies/margin-fit';

export interface MatrixStats {
  /** Unordered pairs whose winner depends on the order shown (both orders say "first" or both "second"). */
  orderFlipRate: number;
  /** Triples whose three match values form a cycle (a > b > c > a). */
  cyclicTripleRate: number;
  /** Mean of (M[i][j] + M[j][i]) / 2: the position bias, added to both orders. */
  positionBias: number;
  /**
   * Least-squares strengths from every match value (margin-fit.ts: full's max_logits score),
   * halved so they are in the simulation's units (v = 2(s_i − s_j) + noise): their spread.
   */
  strengthSd: number;
  /** Spread of v(i,j) around 2(s_i − s_j), divided by √2: the per-order noise that gives it. */
  noiseSd: number;
  /** Whether full's best (max_logits) beats every other candidate. */
  bestIsCondorcet: boolean;
  /** Whether some other candidate beats every other one: no knockout can then pick full's best. */
  otherIsCondorcet: boolean;
}

export const matchValue = (m: readonly (readonly number[])[], i: number, j: number): number => m[i]![j]! - m[j]![i]!;

/** The candidate that beats every other in both-order matches, or -1. */
export function condorcetWinner(m: readonly (readonly number[])[]): number {
  for (let i = 0; i < m.length; i++) if (m.every((_, j) => j === i || matchValue(m, i, j) > 0)) return i;
  return -1;
}

/** full's best: the highest max_logits score, (1/N) Σ_j v(i,j); the lowest index on a tie. */
export function fullBest(m: readonly (readonly number[])[]): number {
  const scores = m.map((_, i) => m.reduce((sum, _row, j) => sum + (i === j ? 0 : matchValue(m, i, j)), 0));
  return scores.indexOf(Math.max(...scores));
}

const sd = (xs: readonly number[]): number => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
};

export function matrixStats(m: readonly (readonly number[])[]): MatrixStats {
  const n = m.length;
  let flips = 0;
  let pairs = 0;
  let biasSum = 0;
  const matches = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      pairs++;
      if (Math.sign(m[i]![j]!) === Math.sign(m[j]![i]!) && m[i]![j]! !== 0) flips++;
      biasSum += (m[i]![j]! + m[j]![i]!) / 2;
      matches.push({ a: i, b: j, value: matchValue(m, i, j) });
    }
  }
  let cyclic = 0;
  let triples = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      for (let c = b + 1; c < n; c++) {
        triples++;
        const ab = Math.sign(matchValue(m, a, b));
        const bc = Math.sign(matchValue(m, b, c));
        const ca = Math.sign(matchValue(m, c, a));
        if (ab !== 0 && ab === bc && bc === ca) cyclic++;
      }
    }
  }
  const fitted = fitMargins(n, matches);
  const residuals = matches.map(({ a, b, value }) => value - (fitted[a]! - fitted[b]!));
  const best = fullBest(m);
  const winner = condorcetWinner(m);
  return {
    orderFlipRate: pairs ? flips / pairs : 0,
    cyclicTripleRate: triples ? cyclic / triples : 0,
    positionBias: pairs ? biasSum / pairs : 0,
    strengthSd: sd(fitted) / 2,
    // Least squares leaves n − 1 of the pairs' degrees of freedom in the fit.
    noiseSd: pairs > n - 1 ? Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / (pairs - (n - 1))) / Math.SQRT2 : 0,
    bestIsCondorcet: winner === best,
    otherIsCondorcet: winner !== -1 && winner !== best,
  };
}

export interface StatsSummary {
  sets: number;
  /** Means over the sets. */
  orderFlipRate: number;
  cyclicTripleRate: number;
  positionBias: number;
  strengthSd: number;
  noiseSd: number;
  /** Shares of the sets (0-1). */
  bestIsCondorcet: number;
  otherIsCondorcet: number;
}

export function summarizeStats(all: readonly MatrixStats[]): StatsSummary {
  const mean = (key: 'orderFlipRate' | 'cyclicTripleRate' | 'positionBias' | 'strengthSd' | 'noiseSd') => all.reduce((sum, s) => sum + s[key], 0) / all.length;
  const share = (key: 'bestIsCondorcet' | 'otherIsCondorcet') => all.filter((s) => s[key]).length / all.length;
  return {
    sets: all.length,
    orderFlipRate: mean('orderFlipRate'),
    cyclicTripleRate: mean('cyclicTripleRate'),
    positionBias: mean('positionBias'),
    strengthSd: mean('strengthSd'),
    noiseSd: mean('noiseSd'),
    bestIsCondorcet: share('bestIsCondorcet'),
    otherIsCondorcet: share('otherIsCondorcet'),
  };
}

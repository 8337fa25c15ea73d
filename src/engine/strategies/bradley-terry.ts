import { sigmoid } from '../probability';
import { cholesky, choleskySolve, inverseDiagonal } from './cholesky';

/**
 * Bradley–Terry with soft outcomes and a Gaussian prior: P(a beats b) = σ(s_a − s_b), each
 * comparison's outcome a number in [0, 1] (1: a won outright, 0: b did, 0.7: a mostly did).
 * The maximum a posteriori strengths under s_i ~ N(0, priorVariance) are found by Newton's
 * method; the objective is strictly convex (the prior makes it so), so the optimum is unique
 * and finite however few comparisons there are, even when one candidate won all of its.
 */

/** One comparison of candidates `a` and `b` of one input: how much `a` beat `b`, in [0, 1]. */
export interface Comparison {
  a: number;
  b: number;
  outcome: number;
}

export interface BradleyTerryFit {
  /** Higher = better; centred near 0 by the prior. */
  strengths: number[];
  /**
   * Each strength's standard error relative to the mean strength (the strengths sum to 0:
   * the fit is exactly centred), from the inverse Hessian of the negative log posterior at
   * the optimum, prior included.
   */
  standardErrors: number[];
}

/**
 * Weak: a strength of ±3 logits (a 95% win probability against an average candidate) is one
 * standard deviation away, so a handful of comparisons already outweigh it; its job is only
 * to keep strengths finite and the Hessian invertible.
 */
export const DEFAULT_PRIOR_VARIANCE = 9;

const MAX_ITERATIONS = 100;
const STEP_TOLERANCE = 1e-10;

export function fitBradleyTerry(
  n: number,
  comparisons: readonly Comparison[],
  options: { priorVariance?: number; start?: readonly number[] } = {},
): BradleyTerryFit {
  const precision = 1 / (options.priorVariance ?? DEFAULT_PRIOR_VARIANCE);
  let strengths = options.start ? [...options.start] : new Array<number>(n).fill(0);
  let value = objective(strengths, comparisons, precision);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { gradient, hessian } = derivatives(strengths, comparisons, precision);
    const step = choleskySolve(cholesky(hessian, n), n, gradient);
    // Newton with backtracking: a full step can overshoot when outcomes are near 0 or 1.
    let scale = 1;
    let next = strengths.map((s, i) => s - step[i]!);
    let nextValue = objective(next, comparisons, precision);
    while (nextValue > value && scale > 1e-6) {
      scale /= 2;
      next = strengths.map((s, i) => s - scale * step[i]!);
      nextValue = objective(next, comparisons, precision);
    }
    const moved = Math.max(0, ...step.map((d) => Math.abs(scale * d)));
    if (nextValue <= value) {
      strengths = next;
      value = nextValue;
    }
    if (moved < STEP_TOLERANCE || nextValue > value) break;
  }
  const { hessian } = derivatives(strengths, comparisons, precision);
  // Comparisons only see differences: along (1, ..., 1) the Hessian is the prior's alone, an
  // eigenvalue 1/variance whose share of each diagonal entry of H⁻¹ is variance/n. Dropping
  // it leaves the error of each strength relative to the mean, which is all a ranking uses.
  const shift = 1 / (precision * n);
  const standardErrors = inverseDiagonal(cholesky(hessian, n), n).map((v) => Math.sqrt(Math.max(0, v - shift)));
  return { strengths, standardErrors };
}

/** Negative log posterior (up to a constant). */
function objective(strengths: readonly number[], comparisons: readonly Comparison[], precision: number): number {
  let value = 0;
  for (const { a, b, outcome } of comparisons) {
    const d = strengths[a]! - strengths[b]!;
    value += outcome * softplus(-d) + (1 - outcome) * softplus(d);
  }
  for (const s of strengths) value += 0.5 * precision * s * s;
  return value;
}

function derivatives(strengths: readonly number[], comparisons: readonly Comparison[], precision: number): { gradient: number[]; hessian: Float64Array } {
  const n = strengths.length;
  const gradient = strengths.map((s) => precision * s);
  const hessian = new Float64Array(n * n); // row-major
  for (let i = 0; i < n; i++) hessian[i * n + i] = precision;
  for (const { a, b, outcome } of comparisons) {
    const p = sigmoid(strengths[a]! - strengths[b]!);
    const residual = p - outcome;
    gradient[a]! += residual;
    gradient[b]! -= residual;
    const w = p * (1 - p);
    hessian[a * n + a]! += w;
    hessian[b * n + b]! += w;
    hessian[a * n + b]! -= w;
    hessian[b * n + a]! -= w;
  }
  return { gradient, hessian };
}

/** log(1 + eˣ) without overflow: −log σ(−x). */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

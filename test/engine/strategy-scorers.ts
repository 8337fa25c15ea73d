/**
 * Scorers for driving the strategies directly (no model): logits read from per-input
 * matrices, every scored pair recorded, so tests count passes and rounds themselves.
 */
import type { CandidatePair } from '../../src/engine/bubble';
import { mulberry32 } from '../../src/engine/seeded-random';

export function matrixScorer(matrices: readonly (readonly (readonly number[])[])[]) {
  const calls: CandidatePair[][] = [];
  const score = (pairs: readonly CandidatePair[]) => {
    calls.push([...pairs]);
    return Promise.resolve(pairs.map(({ input, first, second }) => matrices[input]![first]![second]!));
  };
  return { score, calls, passes: () => calls.reduce((sum, call) => sum + call.length, 0) };
}

/** Random logits in [-1, 1): intransitive, position-biased preferences, seeded. */
export function randomMatrix(n: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : 2 * random() - 1)));
}

/** Distinct random strengths (a shuffled 0..n-1, plus noise) and M(a,b) = s_a − s_b + bias. */
export function transitive(n: number, seed: number, bias = 0): { strengths: number[]; matrix: number[][] } {
  const random = mulberry32(seed);
  const strengths = Array.from({ length: n }, (_, i) => i + 0.5 * random());
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [strengths[i], strengths[j]] = [strengths[j]!, strengths[i]!];
  }
  return { strengths, matrix: strengths.map((si, i) => strengths.map((sj, j) => (i === j ? 0 : si - sj + bias))) };
}

/** Candidate indices by strength, best first (computed without any strategy). */
export function byStrength(strengths: readonly number[]): number[] {
  return strengths.map((_, i) => i).sort((a, b) => strengths[b]! - strengths[a]!);
}

/** ⌈log₂n⌉ computed independently of the strategies' helper. */
export const log2ceil = (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n) - 1e-12));

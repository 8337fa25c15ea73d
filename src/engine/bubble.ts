import { mulberry32, randomPermutation } from './seeded-random';

/** One ordered pair of candidate indices of one input. */
export interface CandidatePair {
  input: number;
  first: number;
  second: number;
}

/** Scores a list of ordered pairs; returns logit(first, second) for each. */
export type PairScorer = (pairs: readonly CandidatePair[]) => Promise<readonly number[]>;

/** Passes the bubble strategy makes for inputs with these candidate counts: 2(N-1) each. */
export function bubblePasses(counts: readonly number[]): number {
  return counts.reduce((sum, n) => sum + 2 * Math.max(0, n - 1), 0);
}

/**
 * The reference's bubble selection, seeded: one random order per input (drawn input by input
 * from one generator), then walk adjacent pairs carrying the better one:
 * s = M(cur, next) - M(next, cur); s > 0 keeps cur, otherwise next wins (ties go to next).
 * Inputs advance in lockstep so each round's pairs of all inputs share model runs.
 * Returns the winner's index per input.
 */
export async function bubbleWinners(counts: readonly number[], seed: number, score: PairScorer): Promise<number[]> {
  const random = mulberry32(seed);
  const orders = counts.map((n) => randomPermutation(n, random));
  const winners = orders.map((order) => order[0]!);
  const rounds = Math.max(0, ...counts) - 1;
  for (let round = 1; round <= rounds; round++) {
    const active = orders.flatMap((order, input) => (round < order.length ? [input] : []));
    const pairs = active.flatMap((input): CandidatePair[] => {
      const cur = winners[input]!;
      const next = orders[input]![round]!;
      return [
        { input, first: cur, second: next },
        { input, first: next, second: cur },
      ];
    });
    const logits = await score(pairs);
    active.forEach((input, k) => {
      const s = logits[2 * k]! - logits[2 * k + 1]!;
      if (!(s > 0)) winners[input] = orders[input]![round]!;
    });
  }
  return winners;
}

/** Bubble finds only the best: it gets rank 1, every other candidate shares rank 2. */
export function bubbleRanks(counts: readonly number[], winners: readonly number[]): number[][] {
  return counts.map((n, input) => Array.from({ length: n }, (_, i) => (i === winners[input] ? 1 : 2)));
}

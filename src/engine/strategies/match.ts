import type { CandidatePair, PairScorer } from '../bubble';
import type { RankOrders } from '../types';

/**
 * How a match between two candidates is played (the public `orders` option):
 * - `both` (default): M(a,b) and M(b,a), value M(a,b) − M(b,a), which cancels most of
 *   PairRM's position bias (the reference's compare default);
 * - `one`: M(a,b) only, half the passes, but the candidate shown first is favoured.
 */
export type Orders = RankOrders;

export const ORDERS: readonly Orders[] = ['both', 'one'];

/** One match of one input: candidates a and b (a is shown first in the `one` order). */
export interface Match {
  input: number;
  a: number;
  b: number;
}

/** Model passes one match costs. */
export function passesPerMatch(orders: Orders): number {
  return orders === 'both' ? 2 : 1;
}

/**
 * Plays every match in one scorer call (so a round of all inputs shares model runs) and
 * returns per match M(a,b) − M(b,a) (`both`) or M(a,b) (`one`): > 0 means a is better.
 */
export async function playMatches(matches: readonly Match[], orders: Orders, score: PairScorer): Promise<number[]> {
  if (matches.length === 0) return [];
  const pairs = matches.flatMap(({ input, a, b }): CandidatePair[] =>
    orders === 'both'
      ? [
          { input, first: a, second: b },
          { input, first: b, second: a },
        ]
      : [{ input, first: a, second: b }],
  );
  const logits = await score(pairs);
  return orders === 'both' ? matches.map((_, k) => logits[2 * k]! - logits[2 * k + 1]!) : matches.map((_, k) => logits[k]!);
}

/**
 * The winner of a played match: a when value > 0, b when value < 0; a tie (or NaN) goes to
 * the lower candidate index, so results are deterministic and independent of who was first.
 */
export function matchWinner(match: Match, value: number): number {
  if (value > 0) return match.a;
  if (value < 0) return match.b;
  return Math.min(match.a, match.b);
}

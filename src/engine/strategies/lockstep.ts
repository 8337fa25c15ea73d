import type { PairScorer } from '../bubble';
import { matchWinner, passesPerMatch, playMatches, type Match, type Orders } from './match';

/**
 * One input's strategy as a sequence of rounds. `pending` lists the matches of the current
 * round as [a, b] candidate pairs (a is shown first in the `one` order); an empty list means
 * the strategy is finished. `record` receives each match's winner and its value (> 0: a was
 * better; see playMatches), in order, and advances.
 */
export interface RoundMachine {
  pending(): readonly (readonly [number, number])[];
  record(winners: readonly number[], values: readonly number[]): void;
}

export interface LockstepResult {
  /** Model passes requested (a pair counts once per time it is asked for). */
  passes: number;
  /** Scorer calls: rounds in which at least one input had a match. */
  rounds: number;
}

/**
 * Advances every input's machine one round at a time: a round's matches of all inputs are
 * played in one scorer call (one batch plan, shared model runs), as bubble.ts does.
 */
export async function runLockstep(machines: readonly RoundMachine[], orders: Orders, score: PairScorer): Promise<LockstepResult> {
  let passes = 0;
  let rounds = 0;
  for (;;) {
    const perInput = machines.map((machine) => machine.pending());
    const matches: Match[] = perInput.flatMap((list, input) => list.map(([a, b]) => ({ input, a, b })));
    if (matches.length === 0) return { passes, rounds };
    const values = await playMatches(matches, orders, score);
    passes += matches.length * passesPerMatch(orders);
    rounds++;
    let k = 0;
    perInput.forEach((list, input) => {
      if (list.length === 0) return;
      const played = values.slice(k, k + list.length);
      const winners = list.map((_, m) => matchWinner(matches[k + m]!, played[m]!));
      k += list.length;
      machines[input]!.record(winners, played);
    });
  }
}

// What running a batch gives for each row: ranks (and scores), a pair's logit, or why the
// row did not run. Bad rows found while reading the file are outcomes too, so the results
// file has one line per row of the input, in order.
import type { BadRow, BatchRow, PairRow, RankRow, RowPlace } from '../../datasets/batch-rows';

export interface RankOutcome {
  kind: 'rank';
  row: RankRow;
  /** 1 = best; with the bubble strategy only the best is known (rank 1, every other 2). */
  ranks: number[];
  /** max_logits scores (full strategy only). */
  scores: number[] | null;
}

export interface PairOutcome {
  kind: 'pair';
  row: PairRow;
  /** M(A,B) - M(B,A): > 0 means a is better. */
  logit: number;
}

export interface FailedOutcome {
  kind: 'failed';
  place: RowPlace;
  field: string | null;
  message: string;
  /** The row's content when it was read but failed to run. */
  row: BatchRow | null;
}

export type Outcome = RankOutcome | PairOutcome | FailedOutcome;

export function placeOf(outcome: Outcome): RowPlace {
  return outcome.kind === 'failed' ? outcome.place : outcome.row;
}

export function badRowOutcome(bad: BadRow): FailedOutcome {
  return { kind: 'failed', place: { row: bad.row, line: bad.line }, field: bad.field, message: bad.message, row: null };
}

/** Outcomes of the run and the file's bad rows, in the file's row order. */
export function inRowOrder(outcomes: readonly Outcome[], bad: readonly BadRow[]): Outcome[] {
  return [...outcomes, ...bad.map(badRowOutcome)].sort((x, y) => placeOf(x).row - placeOf(y).row);
}

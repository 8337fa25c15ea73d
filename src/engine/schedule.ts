import { BlenderError } from './errors';

export interface BatchLimits {
  /** Most rows per run. */
  batchSize: number;
  /** Most tokens per run: rows x the batch's padded length. A longer single row runs alone. */
  tokenBudget: number;
}

/** Row indices of one model run and the length they are padded to (the longest of them). */
export interface Batch {
  indices: number[];
  paddedLength: number;
}

/**
 * Groups rows of similar length so each run pads only to its own longest row. Longest rows
 * go first: a run that is too big for memory fails at once, not at the end of a long call.
 * Results do not depend on the grouping (padding is masked out), only speed does.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): Batch[] {
  checkLimits(limits);
  const order = lengths.map((_, index) => index).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: Batch[] = [];
  let current: Batch | undefined;
  for (const index of order) {
    const length = lengths[index]!;
    // Rows arrive longest first, so the first row of a batch fixes its padded length.
    const fits =
      current !== undefined && current.indices.length < limits.batchSize && (current.indices.length + 1) * current.paddedLength <= limits.tokenBudget;
    if (fits) {
      current!.indices.push(index);
    } else {
      current = { indices: [index], paddedLength: length };
      batches.push(current);
    }
  }
  return batches;
}

function checkLimits(limits: BatchLimits): void {
  if (!Number.isInteger(limits.batchSize) || limits.batchSize < 1) {
    throw new BlenderError('INVALID_OPTION', `batchSize must be a positive integer (got ${limits.batchSize})`, 'options.batchSize');
  }
  if (!Number.isInteger(limits.tokenBudget) || limits.tokenBudget < 1) {
    throw new BlenderError('INVALID_OPTION', `tokenBudget must be a positive integer (got ${limits.tokenBudget})`, 'options.tokenBudget');
  }
}

// Runs a batch's rows through the ranker, a few rows per call (so model runs stay full),
// with progress and cancel. A call that fails is retried row by row, so one bad row costs
// only itself. Cancelling keeps every outcome finished so far.
import { isBlenderError, ranksFromScores, type CompareOptions, type ComputeProgress, type RankOptions, type RankStrategy } from '../../client/index';
import type { BatchRow, PairRow, RankRow } from '../../datasets/batch-rows';
import type { Outcome } from './batch-outcomes';

/** What a batch needs of a blender: ranks or scores, and logits. */
export interface BatchRanker {
  rank(inputs: readonly string[], candidates: readonly (readonly string[])[], options: RankOptions & { returnMatrix?: false }): Promise<number[][]>;
  compare(inputs: readonly string[], a: readonly string[], b: readonly string[], options: CompareOptions & { returnLogits: true }): Promise<number[]>;
}

export interface BatchRunOptions {
  strategy: RankStrategy;
  signal: AbortSignal;
  /** Rows per ranker call (default 16). */
  rowsPerCall?: number;
  /** Rows done (fractional within a call) of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface BatchRun {
  outcomes: Outcome[];
  cancelled: boolean;
}

const DEFAULT_ROWS_PER_CALL = 16;

export async function runBatch(ranker: BatchRanker, rows: readonly BatchRow[], options: BatchRunOptions): Promise<BatchRun> {
  const { signal, strategy, onProgress } = options;
  const size = Math.max(1, options.rowsPerCall ?? DEFAULT_ROWS_PER_CALL);
  const outcomes: Outcome[] = [];
  const cancelled = () => ({ outcomes, cancelled: true });
  onProgress?.(0, rows.length);
  for (let start = 0; start < rows.length; start += size) {
    if (signal.aborted) return cancelled();
    const chunk = rows.slice(start, start + size);
    const progress = (event: ComputeProgress) => onProgress?.(start + (chunk.length * event.done) / Math.max(1, event.total), rows.length);
    try {
      outcomes.push(...(await runRows(ranker, chunk, strategy, signal, progress)));
    } catch (error) {
      if (signal.aborted || (isBlenderError(error) && error.code === 'ABORTED')) return cancelled();
      // Find the row at fault: each row alone; the others still run.
      for (const row of chunk) {
        if (signal.aborted) return cancelled();
        try {
          outcomes.push(...(await runRows(ranker, [row], strategy, signal, undefined)));
        } catch (rowError) {
          if (signal.aborted || (isBlenderError(rowError) && rowError.code === 'ABORTED')) return cancelled();
          outcomes.push(failedRun(row, rowError));
        }
      }
    }
    onProgress?.(start + chunk.length, rows.length);
  }
  return { outcomes, cancelled: false };
}

async function runRows(
  ranker: BatchRanker,
  rows: readonly BatchRow[],
  strategy: RankStrategy,
  signal: AbortSignal,
  onProgress: ((event: ComputeProgress) => void) | undefined,
): Promise<Outcome[]> {
  const inputs = rows.map((row) => row.input);
  const instructions = rows.map((row) => row.instruction);
  const common = { instructions, signal, ...(onProgress ? { onProgress } : {}) };
  if (rows[0]?.kind === 'pair') {
    const pairs = rows as readonly PairRow[];
    const logits = await ranker.compare(
      inputs,
      pairs.map((row) => row.a),
      pairs.map((row) => row.b),
      { ...common, returnLogits: true },
    );
    return pairs.map((row, i) => ({ kind: 'pair', row, logit: logits[i]! }));
  }
  const ranked = rows as readonly RankRow[];
  const candidates = ranked.map((row) => row.candidates);
  if (strategy !== 'full') {
    const ranks = await ranker.rank(inputs, candidates, { ...common, strategy });
    return ranked.map((row, i) => ({ kind: 'rank', row, ranks: ranks[i]!, scores: null }));
  }
  // Scores, then ranks from them exactly as rank() derives them.
  const scores = await ranker.rank(inputs, candidates, { ...common, returnScores: true });
  return ranked.map((row, i) => ({ kind: 'rank', row, ranks: ranksFromScores(scores[i]!), scores: scores[i]! }));
}

/** A row the ranker refused; the engine's argument path is made relative to the row. */
function failedRun(row: BatchRow, error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  const argument = isBlenderError(error) ? error.argument : undefined;
  const field = argument
    ? argument
        .replace(/^inputs\[0\]/, 'input')
        .replace(/^candidates\[0\]/, 'candidates')
        .replace(/^candidatesA\[0\]/, 'a')
        .replace(/^candidatesB\[0\]/, 'b')
        .replace(/^options\.instructions\[0\]/, 'instruction')
    : null;
  return { kind: 'failed', place: { row: row.row, line: row.line }, field, message, row };
}

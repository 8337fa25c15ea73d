// The per-row work of `eval`: a chunk of rows through the ranker, each turned into the record
// written for it. No files and no process here, so a queue worker can run the same function
// on the rows of a job. A chunk that fails is retried row by row, so a row the engine refuses
// costs only itself (it comes back as a failure naming its field).
import { isBlenderError, type BlenderError } from '../../engine/errors';
import type { RankOptions, RankStrategy, Ranker } from '../../engine/types';
import type { BadRow, RankRow } from '../../datasets/batch-rows';
import { strategyHasScores } from './eval-args';

/** What is written for a row: one JSON line of the results file. */
export interface EvalRecord {
  /** The row's 1-based number among the file's data rows, and the line it starts on. */
  row: number;
  line: number;
  /** The row's `id`, or null when it has none. */
  id: string | null;
  /** The candidates' models in the row's order (after --models). */
  models: string[];
  /** 1 = best, per candidate in the row's order; ties share a rank. */
  ranks: number[];
  /** Aggregated scores (full: max_logits; adaptive: Bradley–Terry strengths); null for rank-only strategies. */
  scores: number[] | null;
  /** The models from best to worst (ties in the row's order). */
  ranking: string[];
  /** M[i][j], with --matrix (null where adaptive did not run the pair). */
  matrix?: (number | null)[][];
}

/** What the per-row work needs of a blender (Node's, or a page's): `rank`. */
export type EvalRanker = Pick<Ranker, 'rank'>;

export interface RankRowsOptions {
  strategy: RankStrategy;
  matrix: boolean;
  budget?: number | undefined;
  topK?: number | undefined;
  orders?: 'both' | 'one' | undefined;
  batchSize?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Whether an error is the row's own fault (reported as a failed row) rather than the
   * ranker's (thrown, so a queue retries the job elsewhere). Default: every BlenderError is the row's.
   */
  isRowFault?: ((error: BlenderError) => boolean) | undefined;
}

export interface RankRowsResult {
  records: EvalRecord[];
  /** Rows the engine refused (bad text, too few candidates for --top-k, ...). */
  failed: BadRow[];
}

export async function rankRows(ranker: EvalRanker, rows: readonly RankRow[], options: RankRowsOptions): Promise<RankRowsResult> {
  try {
    return { records: await rankChunk(ranker, rows, options), failed: [] };
  } catch (error) {
    if (isAbort(error, options.signal) || !isBlenderError(error)) throw error;
    if (rows.length === 1) return { records: [], failed: [failure(rows[0]!, error)] };
  }
  const result: RankRowsResult = { records: [], failed: [] };
  for (const row of rows) {
    try {
      result.records.push(...(await rankChunk(ranker, [row], options)));
    } catch (error) {
      if (isAbort(error, options.signal) || !isBlenderError(error) || options.isRowFault?.(error) === false) throw error;
      result.failed.push(failure(row, error));
    }
  }
  return result;
}

async function rankChunk(ranker: EvalRanker, rows: readonly RankRow[], options: RankRowsOptions): Promise<EvalRecord[]> {
  const inputs = rows.map((row) => row.input);
  const candidates = rows.map((row) => row.candidates);
  const common: RankOptions = {
    instructions: rows.map((row) => row.instruction),
    strategy: options.strategy,
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
    ...(options.topK !== undefined ? { topK: options.topK } : {}),
    ...(options.orders !== undefined ? { orders: options.orders } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (strategyHasScores(options.strategy)) {
    const details = await ranker.rank(inputs, candidates, { ...common, returnMatrix: true });
    return rows.map((row, i) => record(row, details.ranks[i]!, details.scores[i]!, options.matrix ? details.matrices[i]! : undefined));
  }
  const ranks = await ranker.rank(inputs, candidates, { ...common, returnMatrix: false });
  return rows.map((row, i) => record(row, ranks[i]!, null, undefined));
}

function record(row: RankRow, ranks: number[], scores: number[] | null, matrix: number[][] | undefined): EvalRecord {
  const order = ranks.map((rank, i) => ({ rank, i })).sort((x, y) => x.rank - y.rank || x.i - y.i);
  const out: EvalRecord = {
    row: row.row,
    line: row.line,
    id: row.id ?? null,
    models: row.models,
    ranks,
    scores,
    ranking: order.map(({ i }) => row.models[i]!),
  };
  // JSON has no NaN: a pair adaptive did not run is null.
  if (matrix) out.matrix = matrix.map((line) => line.map((value) => (Number.isNaN(value) ? null : value)));
  return out;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (isBlenderError(error) && error.code === 'ABORTED');
}

/** The engine's argument path made relative to the row: `candidates[0][2]` -> `candidates[2]`. */
function failure(row: RankRow, error: { message: string; argument?: string | undefined }): BadRow {
  const field = error.argument
    ? error.argument
        .replace(/^inputs\[0\]/, 'input')
        .replace(/^candidates\[0\]/, 'candidates')
        .replace(/^options\.instructions\[0\]/, 'instruction')
    : null;
  return { row: row.row, line: row.line, field, message: error.message };
}

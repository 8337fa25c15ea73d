// What the producer and the workers say to each other through BullMQ: a job is a shard of
// consecutive rows of the file (its id says which run and which rows, so adding it twice is a
// no-op and its result can only ever be written once), and its return value is those rows'
// eval records and failures, with who computed them and how long it took.
import type { BadRow, RankRow } from '../../datasets/batch-rows';
import type { RankOrders, RankStrategy } from '../../engine/types';
import type { EvalRecord } from '../eval/rank-rows';

/** Bumped when the job format changes: a worker refuses jobs of another version. */
export const JOB_FORMAT = 1;

/** How every row of a run is ranked (the producer's flags; the workers bring the model). */
export interface RankSpec {
  strategy: RankStrategy;
  matrix: boolean;
  budget?: number;
  topK?: number;
  orders?: RankOrders;
  batchSize?: number;
}

/** The parts of a row a worker needs (metrics and judgements stay with the producer). */
export type JobRow = Pick<RankRow, 'kind' | 'row' | 'line' | 'id' | 'instruction' | 'input' | 'candidates' | 'models'>;

export interface ShardJobData {
  format: typeof JOB_FORMAT;
  run: string;
  spec: RankSpec;
  rows: JobRow[];
}

export interface WorkerStamp {
  /** host:pid, unique across the fleet while the process lives. */
  id: string;
  /** Milliseconds the job took in the worker (ranking and bookkeeping). */
  ms: number;
  /** Ordered pairs the ranker ran for this job. */
  pairs: number;
}

export interface ShardJobResult {
  records: EvalRecord[];
  failed: BadRow[];
  worker: WorkerStamp;
}

/** The job of rows first..last of a run (row numbers of the file, 1-based, inclusive). */
export function shardJobId(run: string, first: number, last: number): string {
  return `${run}.${first}-${last}`;
}

/** The Redis hash where a run's identity and its fleet counters live (beside BullMQ's keys). */
export function runKey(prefix: string, queue: string): string {
  return `${prefix}:${queue}:llm-blender-web:run`;
}

/** Fields of the run hash. */
export const RUN_FIELDS = {
  /** The run's id (random per fresh run); job ids start with it. */
  id: 'id',
  /** JSON: what the run ranks (file, options, shard size); --resume checks it is the same. */
  spec: 'spec',
  /** Rows computed by workers for a run (retries included): more than the rows means work was repeated. */
  computed: (run: string) => `computed:${run}`,
} as const;

export function toJobRow(row: RankRow): JobRow {
  return {
    kind: row.kind,
    row: row.row,
    line: row.line,
    id: row.id,
    instruction: row.instruction,
    input: row.input,
    candidates: row.candidates,
    models: row.models,
  };
}

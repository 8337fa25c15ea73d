// The fleet's command lines: `eval FILE --queue URL ...` (the producer: eval's own flags plus
// the queue's) and `worker --queue URL --ranker DIR ...`. A bad flag is a UsageError (exit 2).
import type { DtypeOption } from '../../runtime/common/dtypes';
import { UsageError, dtypeOf, flagValue, positiveInteger } from '../command-line';
import type { NodeDevice } from '../node-blender-options';
import { parseEvalArgs, type EvalArgs } from '../eval/eval-args';
import { QueueUrlError, parseQueueUrl, type QueueTarget } from './queue-url';

export interface ProducerArgs {
  eval: EvalArgs;
  queue: QueueTarget;
  /** Rows per job. */
  shardSize: number;
  /** Jobs enqueued and not yet written, at most (bounds Redis memory and the reorder buffer). */
  window: number;
  /** Attempts per job before it goes to the failed set. */
  attempts: number;
  /** Milliseconds between looks at the job whose rows are next to write. */
  pollMs: number;
}

export interface WorkerArgs {
  queue: QueueTarget;
  ranker: string;
  dtype: DtypeOption | undefined;
  device: NodeDevice | undefined;
  threads: number | undefined;
  batchSize: number | undefined;
  /** Pair logits the ranker keeps (createBlender's pairCache); undefined = its default. */
  pairCache: number | undefined;
  /** Jobs one process works on at once (one model, shared). */
  concurrency: number;
  /** Rows per ranker call inside a job (progress is reported after each). */
  chunk: number;
  /** BullMQ: how long a job's lock lasts without renewal; a worker that died loses its jobs after it. */
  lockDurationMs: number;
  /** BullMQ: how often workers look for jobs whose lock expired (stalled) and put them back. */
  stalledIntervalMs: number;
  /** BullMQ: how many times a job may stall before it fails. */
  maxStalled: number;
  /** Appends {"row", "job", "worker"} per row this worker ranked. */
  trace: string | undefined;
}

export const PRODUCER_USAGE = `  --queue URL          rank on a fleet of workers: redis[s]://[[user]:password@]host[:port][/db]/queue-name
                       (the model is the workers': --ranker, --dtype, --threads, --batch-size are worker flags)
  --shard-size N       rows per job (default 64)       --window N  jobs in flight at most (default 64)
  --attempts N         tries per job before it fails (default 3)   --poll-ms N (default 50)`;

export const WORKER_USAGE = `usage: llm-blender-web worker --queue URL --ranker <folder> [options]
  --queue URL          redis[s]://[[user]:password@]host[:port][/db]/queue-name (the producer's)
  --dtype D            fp32 | fp16 | q8 | q4 | auto    --device cpu|cuda|auto
  --threads N          onnxruntime-node threads         --batch-size N  pairs per model run
  --concurrency N      jobs at once in this process (default 1)
  --pair-cache N       pair logits kept across jobs (default 10000; 0 = off)
  --chunk N            rows per ranker call within a job (default 16)
  --lock-duration MS   a dead worker's job is taken back after this (default 30000)
  --stalled-interval MS  how often expired locks are checked (default 30000)
  --max-stalled N      times a job may be taken back before it fails (default 2)
  --trace F            append {"row", "job", "worker"} per row ranked
Stops on SIGTERM or Ctrl-C after finishing the jobs in hand.`;

const PRODUCER_FLAGS = new Set(['--queue', '--shard-size', '--window', '--attempts', '--poll-ms']);
const WORKER_ONLY = ['--ranker', '--dtype', '--threads', '--batch-size', '--trace', '--device'];

export function isFleetEval(argv: readonly string[]): boolean {
  return argv.includes('--queue');
}

export function parseProducerArgs(argv: readonly string[]): ProducerArgs {
  const rest: string[] = [];
  const taken = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (PRODUCER_FLAGS.has(flag)) {
      taken.set(flag, flagValue(flag, argv[++i]));
    } else {
      if (WORKER_ONLY.includes(flag)) {
        throw new UsageError(`${flag} is a worker flag with --queue: the workers load the model (llm-blender-web worker ${flag} ...)`);
      }
      rest.push(flag);
    }
  }
  const evalArgs = parseEvalArgs(rest, { needsRanker: false });
  if (evalArgs.out === undefined) throw new UsageError('--queue needs --out: the fleet writes its results to a file (and --resume continues it)');
  return {
    eval: evalArgs,
    queue: queueOf(taken.get('--queue')!),
    shardSize: positiveOr('--shard-size', taken.get('--shard-size'), 64),
    window: positiveOr('--window', taken.get('--window'), 64),
    attempts: positiveOr('--attempts', taken.get('--attempts'), 3),
    pollMs: positiveOr('--poll-ms', taken.get('--poll-ms'), 50),
  };
}

export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  let queue: string | undefined;
  const args: Omit<WorkerArgs, 'queue'> = {
    ranker: '',
    dtype: undefined,
    device: undefined,
    threads: undefined,
    batchSize: undefined,
    pairCache: undefined,
    concurrency: 1,
    chunk: 16,
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    maxStalled: 2,
    trace: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => flagValue(flag, argv[++i]);
    const positive = () => positiveInteger(flag, value());
    switch (flag) {
      case '--queue':
        queue = value();
        break;
      case '--ranker':
        args.ranker = value();
        break;
      case '--dtype':
        args.dtype = dtypeOf(value());
        break;
      case '--device': {
        const device = value();
        if (device !== 'cpu' && device !== 'cuda' && device !== 'auto')
          throw new UsageError(`--device must be cpu, cuda or auto, not ${JSON.stringify(device)}`);
        args.device = device;
        break;
      }
      case '--threads':
        args.threads = positive();
        break;
      case '--batch-size':
        args.batchSize = positive();
        break;
      case '--pair-cache': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new UsageError('--pair-cache needs an integer >= 0');
        args.pairCache = n;
        break;
      }
      case '--concurrency':
        args.concurrency = positive();
        break;
      case '--chunk':
        args.chunk = positive();
        break;
      case '--lock-duration':
        args.lockDurationMs = positive();
        break;
      case '--stalled-interval':
        args.stalledIntervalMs = positive();
        break;
      case '--max-stalled':
        args.maxStalled = positive();
        break;
      case '--trace':
        args.trace = value();
        break;
      default:
        throw new UsageError(`unknown flag ${flag}`);
    }
  }
  if (queue === undefined) throw new UsageError('--queue is required');
  if (args.ranker === '') throw new UsageError('--ranker is required');
  return { queue: queueOf(queue), ...args };
}

function queueOf(url: string): QueueTarget {
  try {
    return parseQueueUrl(url);
  } catch (error) {
    if (error instanceof QueueUrlError) throw new UsageError(error.message);
    throw error;
  }
}

function positiveOr(flag: string, text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : positiveInteger(flag, text);
}

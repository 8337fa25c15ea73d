// `llm-blender-web worker`: one process of the fleet. It loads the model once, then takes
// shard jobs from the queue until told to stop (SIGTERM or Ctrl-C: the jobs in hand are
// finished first, then it exits 0). Each job's rows go through eval's own rankRows, so a
// row is ranked, or refused, exactly as in a local run; an error that is not the row's fault
// (the model or the device failing) fails the job, and BullMQ retries it, here or elsewhere.
// A worker killed outright loses its job's lock; after the stall interval another worker
// takes the job. Results go back as the job's return value: BullMQ accepts it only from the
// holder of the job's lock, so a job is completed once however often it was delivered.
import { hostname } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BlenderError } from '../../engine/errors';
import { isBlenderError } from '../../engine/errors';
import { createBlender as createNodeBlender, type NodeBlender } from '../create-blender';
import type { EvalIo } from '../eval/eval-command';
import { parseCommandLine, rankerOptions } from '../command-line';
import { JsonlAppender } from '../eval/jsonl-file';
import { rankRows, type RankRowsResult } from '../eval/rank-rows';
import { WORKER_USAGE, parseWorkerArgs } from './fleet-args';
import { JOB_FORMAT, RUN_FIELDS, runKey, type ShardJobData, type ShardJobResult } from './jobs';
import { checkRedis, onceEach } from './redis-check';

/** Errors that are a row's own fault: reported with the row, as a local run does. */
const ROW_FAULTS: ReadonlySet<string> = new Set(['INVALID_ARGUMENT', 'LENGTH_MISMATCH', 'EMPTY_CANDIDATES', 'INVALID_OPTION', 'UNKNOWN_OPTION']);

export function isRowFault(error: BlenderError): boolean {
  return ROW_FAULTS.has(error.code);
}

/** Runs a worker until `io.signal` fires; returns the exit code (0 stopped, 1 failed, 2 bad usage). */
export async function runWorker(argv: readonly string[], io: EvalIo): Promise<number> {
  const args = parseCommandLine(argv, WORKER_USAGE, io, () => parseWorkerArgs(argv));
  if (typeof args === 'number') return args;
  const id = `${hostname()}:${process.pid}`;
  const log = (text: string) => io.error(`worker ${id}: ${text}\n`);
  let blender: NodeBlender | undefined;
  let worker: Worker<ShardJobData, ShardJobResult> | undefined;
  let redis: Redis | undefined;
  const trace = args.trace === undefined ? null : new JsonlAppender(args.trace, existsSync(args.trace) ? statSync(args.trace).size : null);
  try {
    await checkRedis(args.queue);
    blender = await (io.createBlender ?? createNodeBlender)({
      ...rankerOptions(args),
      ...(args.pairCache !== undefined ? { pairCache: args.pairCache } : {}),
    });
    const info = await blender.info();
    redis = new Redis({ ...args.queue.connection, lazyConnect: true });
    redis.on('error', () => {}); // reconnects by itself; BullMQ's own connection reports the outage
    const counter = runKey(args.queue.prefix, args.queue.name);
    const model = blender;
    let jobs = 0;
    const processJob = async (job: Job<ShardJobData, ShardJobResult>): Promise<ShardJobResult> => {
      const data = job.data;
      if (data?.format !== JOB_FORMAT || !Array.isArray(data.rows)) {
        // Retrying cannot help a job this worker cannot read.
        throw new UnrecoverableError(`job ${job.id} is not an llm-blender-web shard of format ${JOB_FORMAT} (a producer of another version?)`);
      }
      const started = performance.now();
      const passesBefore = (await model.info()).ranker?.passes ?? 0;
      const result: RankRowsResult = { records: [], failed: [] };
      for (let i = 0; i < data.rows.length; i += args.chunk) {
        const rows = data.rows.slice(i, i + args.chunk).map((row) => ({ ...row, kind: 'rank' as const }));
        const ranked = await rankRows(model, rows, { ...data.spec, isRowFault });
        result.records.push(...ranked.records);
        result.failed.push(...ranked.failed);
        trace?.append(rows.map((row) => ({ row: row.row, job: job.id, worker: id })));
        await job.updateProgress({ rows: Math.min(i + args.chunk, data.rows.length), of: data.rows.length, worker: id });
      }
      await redis!.hincrby(counter, RUN_FIELDS.computed(data.run), data.rows.length);
      const ms = performance.now() - started;
      // With --concurrency > 1 the jobs in hand share the counter: then this is approximate.
      const pairs = ((await model.info()).ranker?.passes ?? 0) - passesBefore;
      jobs++;
      const rows = data.rows.length;
      log(`job ${job.id}: ${rows} rows (${result.failed.length} refused) in ${(ms / 1000).toFixed(2)} s, ${((rows * 1000) / ms).toFixed(1)} rows/s`);
      return { ...result, worker: { id, ms, pairs } };
    };
    worker = new Worker<ShardJobData, ShardJobResult>(args.queue.name, processJob, {
      connection: args.queue.connection,
      prefix: args.queue.prefix,
      name: id,
      concurrency: args.concurrency,
      lockDuration: args.lockDurationMs,
      stalledInterval: args.stalledIntervalMs,
      maxStalledCount: args.maxStalled,
      autorun: false,
    });
    worker.on(
      'error',
      onceEach((message) => log(`queue error (retrying): ${message}`)),
    );
    worker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${error.message}`));
    log(
      `ready: ${args.queue.display}, ranker ${args.ranker} (${info.ranker?.dtype ?? '?'}, ${info.device}, ${String(info.threads)} threads), ` +
        `concurrency ${args.concurrency}`,
    );
    const stopped = new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    const running = worker.run();
    await Promise.race([stopped, running]);
    log('stopping: finishing the jobs in hand');
    await worker.close();
    await running;
    log(`stopped after ${jobs} jobs`);
    return 0;
  } catch (error) {
    log(`${isBlenderError(error) ? `${error.code}: ` : ''}${(error as Error).message}`);
    return 1;
  } finally {
    await worker?.close(true).catch(() => {});
    redis?.disconnect();
    trace?.close();
    await blender?.dispose();
  }
}

// `llm-blender-web eval FILE --queue URL`: the fleet's producer. It reads the file as a local
// run does, cuts the rows into shard jobs on a fixed grid (shards.ts), keeps at most --window
// of them in flight, and writes each shard's results, rejects and pairs in row order through
// the same files and summary as a local run (results-log.ts, summary.ts), so the output is
// byte-identical to `eval` without --queue. A result is taken from the job whose id names its
// rows, once: a job delivered twice, or retried after a worker died, cannot add a line.
// Restarted with --resume, it continues after the last row on disk; jobs already done or in
// progress keep their ids and are collected, not enqueued again.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BadRow } from '../../datasets/batch-rows';
import { isBlenderError } from '../../engine/errors';
import type { EvalIo } from '../eval/eval-command';
import { UsageError, parseCommandLine } from '../command-line';
import { EVAL_USAGE } from '../eval/eval-args';
import { countEvalRows, readEvalInput, type EvalInputItem } from '../eval/eval-input';
import type { JsonlAppender } from '../eval/jsonl-file';
import { preferencePairs } from '../eval/preference-pairs';
import { createProgress, type ProgressSink } from '../eval/progress';
import type { EvalRecord } from '../eval/rank-rows';
import { checkResumed, openResults, openSideFile, rejectLine } from '../eval/results-log';
import { SummaryAccumulator, summaryTable } from '../eval/summary';
import { PRODUCER_USAGE, parseProducerArgs } from './fleet-args';
import { FleetStats, fleetTable, type FleetSummary } from './fleet-stats';
import { JOB_FORMAT, RUN_FIELDS, runKey, shardJobId, toJobRow, type RankSpec, type ShardJobData, type ShardJobResult } from './jobs';
import { RedisUnavailable, checkRedis, onceEach } from './redis-check';
import { shardsOf, type Shard } from './shards';

type ShardJob = Job<ShardJobData, ShardJobResult>;

interface Pending {
  shard: Shard;
  /** Null when every row of the shard was refused by the parser (nothing to rank). */
  jobId: string | null;
}

export async function runProducer(argv: readonly string[], io: EvalIo): Promise<number> {
  const args = parseCommandLine(argv, `${EVAL_USAGE}\n${PRODUCER_USAGE}`, io, () => {
    const parsed = parseProducerArgs(argv);
    if (!existsSync(parsed.eval.file) || !statSync(parsed.eval.file).isFile()) throw new UsageError(`no such file: ${parsed.eval.file}`);
    return parsed;
  });
  if (typeof args === 'number') return args;
  const { eval: evalArgs, queue: target } = args;
  const sinks: JsonlAppender[] = [];
  let queue: Queue<ShardJobData, ShardJobResult> | undefined;
  let redis: Redis | undefined;
  let progress: ProgressSink | undefined;
  try {
    const { appender: results, point } = openResults(evalArgs.out!, evalArgs.resume);
    sinks.push(results);
    if (point.torn !== null) io.error(`eval: dropped a torn last line of ${evalArgs.out} (${point.torn.length} characters); its row runs again\n`);
    if (evalArgs.resume) io.error(`eval: resuming ${evalArgs.out} after row ${point.lastRow} (${point.done.size} rows done)\n`);
    const rejects = evalArgs.rejects === undefined ? null : keep(sinks, openSideFile(evalArgs.rejects, evalArgs.resume, point.lastRow));
    const pairs = evalArgs.pairsOut === undefined ? null : keep(sinks, openSideFile(evalArgs.pairsOut, evalArgs.resume, point.lastRow));

    await checkRedis(target);
    queue = new Queue<ShardJobData, ShardJobResult>(target.name, { connection: target.connection, prefix: target.prefix });
    queue.on(
      'error',
      onceEach((message) => io.error(`eval: queue error (retrying): ${message}\n`)),
    );
    redis = new Redis({ ...target.connection, lazyConnect: true });
    redis.on('error', () => {}); // ioredis reconnects; the commands wait (maxRetriesPerRequest: null)
    const spec: RankSpec = {
      strategy: evalArgs.strategy,
      matrix: evalArgs.matrix,
      ...(evalArgs.budget !== undefined ? { budget: evalArgs.budget } : {}),
      ...(evalArgs.topK !== undefined ? { topK: evalArgs.topK } : {}),
      ...(evalArgs.orders !== undefined ? { orders: evalArgs.orders } : {}),
    };
    const run = await openRun(queue, redis, target.prefix, target.name, evalArgs.resume, {
      file: resolve(evalArgs.file),
      bytes: statSync(evalArgs.file).size,
      spec,
      models: evalArgs.models ?? null,
      limit: evalArgs.limit ?? null,
      shardSize: args.shardSize,
    });
    io.error(`eval: run ${run} on ${target.display}: jobs of ${args.shardSize} rows, at most ${args.window} in flight\n`);

    const total = await countEvalRows(evalArgs.file, evalArgs.limit);
    const summary = new SummaryAccumulator(evalArgs.strategy);
    const fleet = new FleetStats();
    const failedJobs: FleetSummary['failedJobs'] = [];
    let rowsDone = 0;
    let lastFleetLine = performance.now();
    progress = createProgress({ total, startRows: 0, tty: io.stderrIsTty === true, write: (text) => io.error(text), everySeconds: evalArgs.progressEvery });
    const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
    let written: ShardJob | null = null;

    const write = (shard: Shard, records: EvalRecord[], refused: BadRow[]) => {
      const bad = [...shard.bad, ...refused].sort((x, y) => x.row - y.row);
      rejects?.append(bad.map(rejectLine));
      const byRow = new Map(shard.rows.map((row) => [row.row, row]));
      pairs?.append(records.flatMap((record) => preferencePairs(byRow.get(record.row)!, record, evalArgs.pairs, evalArgs.minMargin)));
      results.append(records);
      for (const record of records) summary.add(byRow.get(record.row)!, record);
      for (const _ of bad) summary.reject();
      rowsDone += shard.rows.length + shard.bad.length;
      progress!.update(rowsDone, fleet.pairs);
      if (!io.stderrIsTty && performance.now() - lastFleetLine >= evalArgs.progressEvery * 1000) {
        lastFleetLine = performance.now();
        io.error(fleet.line());
      }
    };

    /** Waits for the head shard's job, then writes its rows. */
    const collect = async ({ shard, jobId }: Pending) => {
      if (jobId === null) return write(shard, [], []);
      for (;;) {
        if (io.signal?.aborted) throw new Interrupted();
        // The state first, then the job: a job read before it completed has no return value yet.
        const state = await queue!.getJobState(jobId);
        const job = state === 'completed' || state === 'failed' ? await queue!.getJob(jobId) : undefined;
        if (state === 'unknown') {
          // Gone from Redis (a failover that lost writes, or someone removed it): enqueue it again.
          io.error(`eval: job ${jobId} is missing from the queue; enqueueing it again\n`);
          await enqueue(shard, jobId);
          continue;
        }
        if (state === 'completed' && job) {
          const result = job.returnvalue;
          const wanted = new Set(shard.rows.map((row) => row.row));
          // A job reused from before a restart may hold rows already on disk: only the shard's are taken.
          const records = result.records.filter((record) => wanted.has(record.row));
          const refused = result.failed.filter((bad) => wanted.has(bad.row));
          if (records.length + refused.length !== wanted.size) {
            throw new Error(`job ${jobId} returned ${records.length + refused.length} of its ${wanted.size} rows; it was written by another run or version`);
          }
          records.sort((x, y) => x.row - y.row);
          fleet.add(result.worker, wanted.size);
          write(shard, records, refused);
          // The job before this one is no longer needed for a resume: free its Redis memory.
          await written?.remove().catch(() => {});
          written = job;
          return;
        }
        if (state === 'failed' && job) {
          const error = job.failedReason || 'no reason given';
          const rows = `${shard.rows[0]!.row}-${shard.rows.at(-1)!.row}`;
          // A job failed for stalling was started but never finished an attempt: count the starts.
          const attempts = Math.max(job.attemptsMade, job.attemptsStarted);
          failedJobs.push({ job: jobId, rows, attempts, error });
          io.error(`eval: job ${jobId} (rows ${rows}) failed after ${attempts} attempts: ${error}\n`);
          const message = `job ${jobId} failed after ${attempts} attempts: ${error}`;
          write(
            shard,
            [],
            shard.rows.map((row) => ({ row: row.row, line: row.line, field: null, message })),
          );
          return;
        }
        await sleep(args.pollMs);
      }
    };

    const enqueue = async (shard: Shard, jobId: string) => {
      const data: ShardJobData = { format: JOB_FORMAT, run, spec, rows: shard.rows.map(toJobRow) };
      await queue!.add('shard', data, {
        jobId,
        attempts: args.attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: false,
        removeOnFail: false,
      });
    };

    /** The shard's job: one already there (done, running or waiting) or a new one. */
    const jobFor = async (shard: Shard): Promise<string | null> => {
      if (shard.rows.length === 0) return null;
      const first = shard.rows[0]!.row;
      const full = shardJobId(run, shard.gridFirst, shard.gridLast);
      const ids = first === shard.gridFirst ? [full] : [full, shardJobId(run, first, shard.gridLast)];
      for (const id of ids) {
        const job = await queue!.getJob(id);
        if (job === undefined) continue;
        // Resumed after this job used up its attempts: give it new ones.
        if ((await job.getState()) === 'failed') await job.retry('failed');
        return id;
      }
      const id = ids.at(-1)!;
      await enqueue(shard, id);
      return id;
    };

    const inFlight: Pending[] = [];
    const remaining = async function* (): AsyncGenerator<EvalInputItem> {
      for await (const item of readEvalInput(evalArgs.file, { limit: evalArgs.limit, models: evalArgs.models })) {
        const rowNumber = item.kind === 'row' ? item.row.row : item.bad.row;
        if (rowNumber > point.lastRow) {
          yield item;
          continue;
        }
        // Written by an earlier run of this file: counted, not enqueued.
        const record = item.kind === 'row' ? point.done.get(rowNumber) : undefined;
        if (record && item.kind === 'row') summary.add(item.row, checkResumed(item.row, record));
        else summary.reject();
        rowsDone++;
      }
    };
    for await (const shard of shardsOf(remaining(), args.shardSize)) {
      if (io.signal?.aborted) throw new Interrupted();
      inFlight.push({ shard, jobId: await jobFor(shard) });
      while (inFlight.length >= args.window) await collect(inFlight.shift()!);
    }
    while (inFlight.length > 0) await collect(inFlight.shift()!);
    progress.stop();
    progress = undefined;
    for (const sink of sinks.splice(0)) sink.close();

    const computed = await redis.hget(runKey(target.prefix, target.name), RUN_FIELDS.computed(run));
    const fleetSummary = fleet.finish(target.display, args.shardSize, computed === null ? null : Number(computed), failedJobs);
    const result = { ...summary.finish({ pairs: fleet.pairs, rows: fleet.rows, seconds: fleet.seconds() }), fleet: fleetSummary };
    io.error('\n' + summaryTable(result) + '\n' + fleetTable(fleetSummary));
    if (evalArgs.summary !== undefined) writeFileSync(evalArgs.summary, JSON.stringify(result, null, 2) + '\n');
    // The run is over: its last job and its identity go (failed jobs stay, for --resume to retry).
    await (written as ShardJob | null)?.remove().catch(() => {});
    if (failedJobs.length === 0) await redis.del(runKey(target.prefix, target.name));
    else io.error(`eval: ${failedJobs.length} job(s) failed; their rows are in the rejects file. Fix the cause and run again with --resume to retry them.\n`);
    return failedJobs.length === 0 ? 0 : 1;
  } catch (error) {
    progress?.stop();
    for (const sink of sinks) sink.close();
    if (error instanceof RedisUnavailable) {
      io.error(`eval: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Interrupted || io.signal?.aborted) {
      io.error('eval: interrupted; the rows written so far are kept, the jobs enqueued stay on the queue; run again with --resume to collect them\n');
      return 130;
    }
    io.error(`eval: ${isBlenderError(error) ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return 1;
  } finally {
    await queue?.close().catch(() => {});
    redis?.disconnect();
  }
}

class Interrupted extends Error {}

/**
 * The run's id: a new one for a fresh run (which empties the queue of an earlier run first),
 * or, with --resume, the one stored for this queue, if it ranks the same file the same way.
 */
async function openRun(queue: Queue, redis: Redis, prefix: string, name: string, resume: boolean, identity: object): Promise<string> {
  const key = runKey(prefix, name);
  const spec = JSON.stringify(identity);
  if (resume) {
    const [id, stored] = await redis.hmget(key, RUN_FIELDS.id, RUN_FIELDS.spec);
    if (id && stored === spec) return id;
    if (id && stored !== spec) {
      throw new UsageError(`the queue holds a run of another file or other options (${stored}); resume with the same ones, or start afresh without --resume`);
    }
  } else {
    await queue.obliterate({ force: true });
  }
  const id = randomBytes(4).toString('hex');
  await redis.del(key);
  await redis.hset(key, RUN_FIELDS.id, id, RUN_FIELDS.spec, spec, RUN_FIELDS.computed(id), 0);
  return id;
}

function keep(sinks: JsonlAppender[], sink: JsonlAppender): JsonlAppender {
  sinks.push(sink);
  return sink;
}

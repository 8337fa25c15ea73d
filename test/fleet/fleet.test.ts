// `eval --queue` on a fleet of `worker` processes and one private Redis (with a password),
// on the committed MixInstruct sample and the synth ranker, against a local `eval` of the
// same file: byte-identical results, pairs and rejects with 3 workers; a worker killed with
// SIGKILL mid-job; the producer killed and restarted with --resume (no row computed twice,
// counted in the workers' trace files and the run's Redis counter; a worker stopped with
// SIGTERM finishes its job first); a poisoned row reported as a local run reports it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from './redis-server';
import { WorkerPool, buildCli, readTrace, runIdOf, start, until } from './fleet-processes';

const SAMPLE = 'test/fixtures/datasets/mixinstruct-sample.jsonl';
const RANKER = 'public/models/synth-pairrm';
const ROWS = 40;
const QUEUE = 'fleet-test';
// Short locks so a killed worker's job comes back in seconds; long enough that a busy
// machine's event loop never lets a live worker's lock lapse. No pair cache: every test ranks
// the same sample, and a job served from the cache would end before a test could kill its worker.
const WORKER_FLAGS = ['--ranker', RANKER, '--threads', '1', '--chunk', '1', '--pair-cache', '0', '--lock-duration', '5000', '--stalled-interval', '500'];

let redis: TestRedis;
let bin: string;
let work: string;
let pool: WorkerPool;
let local: { results: string; pairs: string; summary: Record<string, unknown> };

const evalSync = (args: string[]) => spawnSync('node', [bin, 'eval', ...args], { encoding: 'utf8' });
const rowsOf = (path: string) =>
  (existsSync(path) ? readFileSync(path, 'utf8') : '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { row: number }).row);
const countBy = (rows: number[]) => rows.reduce((m, row) => m.set(row, (m.get(row) ?? 0) + 1), new Map<number, number>());
/** The worker has traced a row since `before` of a job it has not logged done yet. */
const inJob = (worker: { proc: { stderr(): string }; trace: string }, before: number) => {
  const trace = readTrace(worker.trace);
  return trace.length > before && !worker.proc.stderr().includes(`job ${trace.at(-1)!.job}:`);
};
const noPassword = (text: string) => expect(text.includes(redis.password), 'a log shows the Redis password').toBe(false);

beforeAll(async () => {
  [redis, bin] = await Promise.all([startRedis(), buildCli()]);
  work = mkdtempSync(join('node_modules/.cache', 'llm-blender-fleet-work-'));
  const run = evalSync([
    SAMPLE,
    '--ranker',
    RANKER,
    '--out',
    join(work, 'local.jsonl'),
    '--pairs-out',
    join(work, 'local-pairs.jsonl'),
    '--pairs',
    'all',
    '--summary',
    join(work, 'local.json'),
  ]);
  expect(run.status, run.stderr).toBe(0);
  local = {
    results: readFileSync(join(work, 'local.jsonl'), 'utf8'),
    pairs: readFileSync(join(work, 'local-pairs.jsonl'), 'utf8'),
    summary: JSON.parse(readFileSync(join(work, 'local.json'), 'utf8')) as Record<string, unknown>,
  };
  pool = new WorkerPool(bin, work, ['--queue', redis.url(QUEUE), ...WORKER_FLAGS]);
  await Promise.all([pool.add(), pool.add(), pool.add()]);
}, 180_000);

afterAll(async () => {
  await pool?.stopAll();
  for (const { proc } of pool?.workers ?? []) noPassword(proc.stderr());
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(join(bin, '..'), { recursive: true, force: true });
});

describe('eval --queue on a fleet of workers', () => {
  it('gives, with 3 workers, the results, pairs and summary of a local eval, byte for byte, each row computed once', () => {
    const out = join(work, 'fleet.jsonl');
    const run = evalSync([
      SAMPLE,
      '--queue',
      redis.url(QUEUE),
      '--out',
      out,
      '--pairs-out',
      join(work, 'fleet-pairs.jsonl'),
      '--pairs',
      'all',
      '--summary',
      join(work, 'fleet.json'),
      '--shard-size',
      '4',
    ]);
    expect(run.status, run.stderr).toBe(0);
    noPassword(run.stderr);
    expect(run.stderr).toContain(`redis://:***@127.0.0.1:${redis.port}/${QUEUE}`);
    expect(readFileSync(out, 'utf8')).toBe(local.results);
    expect(readFileSync(join(work, 'fleet-pairs.jsonl'), 'utf8')).toBe(local.pairs);
    const summary = JSON.parse(readFileSync(join(work, 'fleet.json'), 'utf8')) as Record<string, unknown> & {
      fleet: { jobs: number; rows: number; rowsComputed: number; workers: { worker: string; rows: number }[] };
    };
    for (const key of ['rows', 'rejected', 'models', 'metrics', 'judgements', 'pairsRun']) expect(summary[key], key).toEqual(local.summary[key]);
    expect(summary.fleet.jobs).toBe(ROWS / 4);
    expect(summary.fleet.rowsComputed).toBe(ROWS);
    expect(summary.fleet.workers.reduce((sum, w) => sum + w.rows, 0)).toBe(ROWS);
    const traced = pool.rowsOf(runIdOf(run.stderr)).map((line) => line.row);
    expect([...countBy(traced).values()].every((n) => n === 1)).toBe(true);
    expect(traced).toHaveLength(ROWS);
    // Every worker took part, and the producer shows each one's rows/s.
    expect(new Set(pool.rowsOf(runIdOf(run.stderr)).map((line) => line.worker)).size).toBe(3);
    for (const w of summary.fleet.workers) expect(run.stderr).toContain(w.worker);
  });

  it('completes, output identical and no row twice, when a worker is killed (SIGKILL) in the middle of a job', async () => {
    const out = join(work, 'killed.jsonl');
    const producer = start(bin, ['eval', SAMPLE, '--queue', redis.url(QUEUE), '--out', out, '--shard-size', '10', '--poll-ms', '20']);
    const victim = pool.workers[0]!;
    const before = readTrace(victim.trace).length;
    // Its first chunk of a job is traced; the job's other rows are still to come.
    await until('the victim to be in a job', () => inJob(victim, before));
    victim.proc.child.kill('SIGKILL');
    const killedJob = readTrace(victim.trace).at(-1)!.job;
    const done = await producer.exited;
    expect(done.code, producer.stderr()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(local.results);
    expect([...countBy(rowsOf(out)).values()].every((n) => n === 1)).toBe(true);
    // Another worker took the dead one's job over and finished it.
    const others = pool.workers.filter((w) => w !== victim).flatMap((w) => readTrace(w.trace));
    expect(others.some((line) => line.job === killedJob)).toBe(true);
    expect(pool.workers.filter((w) => w !== victim).some((w) => w.proc.stderr().includes(`job ${killedJob}: 10 rows`))).toBe(true);
    // ... and the victim had not: it died in the middle of it.
    expect(victim.proc.stderr()).not.toContain(`job ${killedJob}:`);
  });

  it('resumes a killed producer: output identical, every row computed once; a worker stopped with SIGTERM finishes its job first', async () => {
    const out = join(work, 'resumed.jsonl');
    const args = ['eval', SAMPLE, '--queue', redis.url(QUEUE), '--out', out, '--summary', join(work, 'resumed.json'), '--shard-size', '4', '--window', '3'];
    const first = start(bin, args);
    await until('some rows written', () => rowsOf(out).length >= 4);
    first.child.kill('SIGKILL');
    await first.exited;
    const run = runIdOf(first.stderr());
    expect(rowsOf(out).length).toBeLessThan(ROWS);

    const second = start(bin, [...args, '--resume']);
    // SIGTERM a worker in the middle of a job of this run: it finishes that job, then exits 0.
    const leaving = pool.workers[1]!; // workers[0] was killed above; two live ones remain
    const before = readTrace(leaving.trace).length;
    await until('the leaving worker to be in a job', () => inJob(leaving, before));
    const job = readTrace(leaving.trace).at(-1)!.job;
    const doneBefore = leaving.proc.stderr().includes(`job ${job}:`);
    leaving.proc.child.kill('SIGTERM');
    const exit = await leaving.proc.exited;
    expect(exit.code, leaving.proc.stderr()).toBe(0);
    expect(doneBefore).toBe(false);
    expect(leaving.proc.stderr()).toContain(`job ${job}: 4 rows`);
    expect(leaving.proc.stderr()).toMatch(/stopped after \d+ jobs/);

    const done = await second.exited;
    expect(done.code, second.stderr()).toBe(0);
    expect(second.stderr()).toContain(`run ${run} on`);
    expect(readFileSync(out, 'utf8')).toBe(local.results);
    const traced = pool.rowsOf(run).map((line) => line.row);
    expect(traced.sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    const summary = JSON.parse(readFileSync(join(work, 'resumed.json'), 'utf8')) as { fleet: { rowsComputed: number } };
    expect(summary.fleet.rowsComputed).toBe(ROWS);
  });

  it('says once, clearly, that a wrong password is wrong, without printing it', () => {
    const wrong = redis.url(QUEUE).replace(redis.password, 'not-the-password');
    const run = evalSync([SAMPLE, '--queue', wrong, '--out', join(work, 'wrong.jsonl')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/fleet-test: WRONGPASS/);
    expect(run.stderr).not.toContain('not-the-password');
  });

  it('reports a poisoned row as a local run does, and ranks the rest', () => {
    const sample = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    const twoCandidates = JSON.parse(sample[6]!) as { candidates: unknown[]; cmp_results?: unknown };
    twoCandidates.candidates = twoCandidates.candidates.slice(0, 2);
    delete twoCandidates.cmp_results;
    const file = join(work, 'poisoned.jsonl');
    writeFileSync(file, [...sample.slice(0, 5), 'not json', ...sample.slice(5, 9), JSON.stringify(twoCandidates), ...sample.slice(9, 14)].join('\n') + '\n');
    // Tournament for the top 3 of a row with 2 candidates: the parser accepts it, the ranker refuses it.
    const flags = ['--strategy', 'tournament', '--top-k', '3'];
    const alone = evalSync([file, '--ranker', RANKER, ...flags, '--out', join(work, 'poisoned-local.jsonl')]);
    expect(alone.status, alone.stderr).toBe(0);
    const fleet = evalSync([file, '--queue', redis.url(QUEUE), ...flags, '--out', join(work, 'poisoned-fleet.jsonl'), '--shard-size', '4']);
    expect(fleet.status, fleet.stderr).toBe(0);
    expect(readFileSync(join(work, 'poisoned-fleet.jsonl'), 'utf8')).toBe(readFileSync(join(work, 'poisoned-local.jsonl'), 'utf8'));
    const rejects = readFileSync(join(work, 'poisoned-fleet.rejects.jsonl'), 'utf8');
    expect(rejects).toBe(readFileSync(join(work, 'poisoned-local.rejects.jsonl'), 'utf8'));
    expect(
      rejects
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { row: number; field: string | null }).field),
    ).toEqual([null, 'options.topK']);
    expect(rowsOf(join(work, 'poisoned-fleet.jsonl'))).toHaveLength(14);
    expect(fleet.stderr).toMatch(/14 rows ranked \(tournament\), 2 rejected/);
  });

  it('lists a job that keeps failing (its workers die) in the summary, its rows in the rejects file, and retries it on --resume', async () => {
    // A queue of its own, whose workers let a job stall once: the second death fails it.
    const queue = redis.url('fleet-failing');
    const dying = new WorkerPool(bin, work, ['--queue', queue, ...WORKER_FLAGS, '--lock-duration', '2000', '--max-stalled', '1'], 'dying');
    try {
      const out = join(work, 'failing.jsonl');
      const args = ['eval', SAMPLE, '--queue', queue, '--out', out, '--limit', '8', '--shard-size', '8', '--poll-ms', '20'];
      await Promise.all([dying.add(), dying.add(), dying.add()]);
      const producer = start(bin, args);
      for (let death = 0; death < 2; death++) {
        // Whichever live worker is in the job dies with it.
        const live = () => dying.workers.filter((w) => w.proc.child.exitCode === null && w.proc.child.signalCode === null);
        await until('a worker to be in the job', () => live().some((w) => readTrace(w.trace).length > 0));
        const holder = live().find((w) => readTrace(w.trace).length > 0)!;
        holder.proc.child.kill('SIGKILL');
        await holder.proc.exited;
      }
      // The last live worker's stall check finds the job stalled a second time and fails it.
      const failed = await producer.exited;
      expect(failed.code, producer.stderr()).toBe(1);
      expect(producer.stderr()).toMatch(/FAILED job [0-9a-f]+\.1-8 \(rows 1-8\) after [1-9]\d* attempts: .*stalled/);
      expect(rowsOf(out)).toEqual([]);
      const rejects = readFileSync(join(work, 'failing.rejects.jsonl'), 'utf8').trim().split('\n');
      expect(rejects.map((line) => (JSON.parse(line) as { row: number; message: string }).row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(rejects[0]).toMatch(/stalled/);
      // Resumed: the failed job gets new attempts, and the live worker completes it.
      const resumed = start(bin, [...args, '--resume']);
      const done = await resumed.exited;
      expect(done.code, resumed.stderr()).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(local.results.split('\n').slice(0, 8).join('\n') + '\n');
    } finally {
      await dying.stopAll();
    }
  });
});

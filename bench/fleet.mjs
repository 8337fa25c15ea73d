// Scale-out (issue 23): `eval --queue` on 1, 2 and 4 worker processes of 1 thread each against
// a local `eval` with the same total threads, on the committed MixInstruct sample repeated to
// --rows rows (distinct inputs, so no pair-cache hits) with the synth ranker, and a private
// redis-server (127.0.0.1, a free port, no persistence). Workers are started and loaded before
// the clock starts (a fleet loads its model once per machine), afresh for each run (so their
// pair caches start empty, as a local run's does); rows/s come from each run's
// --summary (local: from the loaded model to the last write; fleet: from the producer's first
// job to the last write). Medians of --repeats runs; ratios within this run.
// Queue overhead per job = median over runs of (fleet seconds at 1 worker - seconds of the local
// run at 1 thread just before it) / jobs: what the queue adds to a job (enqueue, fetch, lock,
// return value, collection) when nothing runs in parallel. "Idle" = share of the workers' time
// not spent in a job, and that time per job (the queue's latency as the workers see it).
//
//   vite build --mode node --logLevel warn && node bench/fleet.mjs [--rows 320] [--shard-size 16] [--repeats 3] [--out bench]
// Writes OUT/fleet.json and, when OUT/results.json exists, re-renders OUT/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeReport } from './report.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '320' },
    'shard-size': { type: 'string', default: '16' },
    repeats: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2,4' },
    out: { type: 'string', default: 'bench' },
  },
});
const BIN = 'dist/node/bin.js';
const RANKER = 'public/models/synth-pairrm';
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run vite build --mode node first`);
const rows = Number(values.rows);
const shardSize = Number(values['shard-size']);
const repeats = Number(values.repeats);
const counts = values.workers.split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
const range = (xs) => [Math.min(...xs), Math.max(...xs)];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function dataset() {
  const sample = readFileSync('test/fixtures/datasets/mixinstruct-sample.jsonl', 'utf8').trim().split('\n');
  const path = join(work, 'data.jsonl');
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const row = JSON.parse(sample[i % sample.length]);
    const copy = Math.floor(i / sample.length);
    row.id = `${row.id}-${copy}`;
    if (copy > 0) row.input = `${row.input} (${copy})`;
    lines.push(JSON.stringify(row));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(check, what) {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const file = dataset();
const port = await freePort();
const pidfile = join(work, 'redis.pid');
const redis = spawnSync('redis-server', [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--daemonize',
  'yes',
  '--pidfile',
  pidfile,
  '--dir',
  work,
]);
if (redis.status !== 0) throw new Error(`redis-server did not start (install it: apt-get install redis-server): ${redis.stderr}`);
await until(() => existsSync(pidfile), 'redis-server');
const queue = `redis://127.0.0.1:${port}/bench`;

function evalRun(args) {
  const summary = join(work, 'summary.json');
  const result = spawnSync('node', [BIN, 'eval', file, '--out', join(work, 'out.jsonl'), '--summary', summary, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`eval failed (${result.status}): ${result.stderr}`);
  return JSON.parse(readFileSync(summary, 'utf8'));
}

const live = new Set();
async function startWorkers(n) {
  const workers = Array.from({ length: n }, () => {
    const child = spawn('node', [BIN, 'worker', '--queue', queue, '--ranker', RANKER, '--threads', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t) => (err += t));
    live.add(child);
    return { child, log: () => err, exited: new Promise((r) => child.once('exit', r)).then(() => live.delete(child)) };
  });
  await until(() => workers.every((w) => w.log().includes(': ready: ')), 'workers ready');
  return workers;
}

const results = {
  rows,
  shardSize,
  repeats,
  jobs: Math.ceil(rows / shardSize),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', loadBefore: loadavg()[0] },
  configs: [],
};
try {
  for (const n of counts) {
    const local = [];
    const fleet = [];
    for (let r = 0; r < repeats; r++) {
      // Local and fleet runs alternate, so both see the same load on a shared machine.
      local.push(evalRun(['--ranker', RANKER, '--threads', String(n)]));
      // Fresh workers per run: a worker's pair cache would otherwise serve the repeats.
      const workers = await startWorkers(n);
      fleet.push(evalRun(['--queue', queue, '--shard-size', String(shardSize), '--window', String(Math.max(8, 4 * n))]));
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
    const busy = (s) => s.fleet.workers.reduce((sum, w) => sum + w.busySeconds, 0);
    const idle = fleet.map((s) => 1 - busy(s) / (n * s.fleet.seconds));
    const config = {
      workers: n,
      localRowsPerSecond: median(local.map((s) => s.rowsPerSecond)),
      localSeconds: median(local.map((s) => s.seconds)),
      fleetRowsPerSecond: median(fleet.map((s) => s.fleet.rowsPerSecond)),
      fleetSeconds: median(fleet.map((s) => s.fleet.seconds)),
      workerRowsPerSecond: median(fleet.flatMap((s) => s.fleet.workers.map((w) => w.rowsPerSecond))),
      idle: median(idle),
      // The workers' time outside any job, per job: waiting for the queue (or for a job to exist).
      idleMsPerJob: median(fleet.map((s) => ((n * s.fleet.seconds - busy(s)) * 1000) / s.fleet.jobs)),
      // Each fleet run against the local run just before it, per job.
      pairedOverheadMsPerJob: median(fleet.map((s, i) => ((s.fleet.seconds - local[i].seconds) * 1000) / s.fleet.jobs)),
      // The spread of the runs, for judging the medians on a shared machine.
      pairedOverheadRange: range(fleet.map((s, i) => ((s.fleet.seconds - local[i].seconds) * 1000) / s.fleet.jobs)),
      localRowsPerSecondRange: range(local.map((s) => s.rowsPerSecond)),
      fleetRowsPerSecondRange: range(fleet.map((s) => s.fleet.rowsPerSecond)),
    };
    results.configs.push(config);
    console.log(
      `${n} worker(s) x 1 thread: ${config.fleetRowsPerSecond.toFixed(1)} rows/s; local eval ${n} thread(s): ${config.localRowsPerSecond.toFixed(1)} rows/s; ` +
        `ratio ${(config.fleetRowsPerSecond / config.localRowsPerSecond).toFixed(2)}; workers idle ${(100 * config.idle).toFixed(0)}% (${config.idleMsPerJob.toFixed(0)} ms per job)`,
    );
  }
} finally {
  // The workers and the Redis of this benchmark go, whatever happened.
  for (const child of live) child.kill('SIGKILL');
  process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGTERM');
}
const one = results.configs.find((c) => c.workers === 1);
if (one) {
  results.overheadMsPerJob = one.pairedOverheadMsPerJob;
  console.log(`queue overhead: ${results.overheadMsPerJob.toFixed(1)} ms per job of ${shardSize} rows (1 worker against 1 thread)`);
}
results.machine.loadAfter = loadavg()[0];
results.date = new Date().toISOString().slice(0, 10);
writeFileSync(join(values.out, 'fleet.json'), JSON.stringify(results, null, 1) + '\n');
if (existsSync(join(values.out, 'results.json'))) writeReport(JSON.parse(readFileSync(join(values.out, 'results.json'), 'utf8')), values.out);
rmSync(work, { recursive: true, force: true });

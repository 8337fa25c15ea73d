// The command under test as `npm run build` builds it, and its processes: workers kept with
// their stderr and trace file, producers run to the end or killed on a condition. Every wait
// is on a condition (a log line, a file's content), never a fixed time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

export async function buildCli(): Promise<string> {
  mkdirSync('node_modules/.cache', { recursive: true });
  const outDir = mkdtempSync(join('node_modules/.cache', 'llm-blender-fleet-bin-'));
  await build({ configFile: 'vite.config.ts', mode: 'node', logLevel: 'silent', build: { outDir } });
  return join(outDir, 'bin.js');
}

export async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Proc {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(bin: string, args: string[]): Proc {
  const child = spawn('node', [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, exited };
}

export interface TraceLine {
  row: number;
  job: string;
  worker: string;
}

export function readTrace(path: string): TraceLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as TraceLine);
}

export class WorkerPool {
  readonly workers: { proc: Proc; trace: string }[] = [];
  private count = 0;

  constructor(
    private readonly bin: string,
    private readonly dir: string,
    private readonly args: string[],
    private readonly name = 'worker',
  ) {}

  /** Starts a worker and waits until it listens on the queue. */
  async add(): Promise<{ proc: Proc; trace: string }> {
    const trace = join(this.dir, `${this.name}-${++this.count}.trace.jsonl`);
    const proc = start(this.bin, ['worker', ...this.args, '--trace', trace]);
    const worker = { proc, trace };
    this.workers.push(worker);
    await until('a worker to be ready', () => proc.stderr().includes(': ready: ') || proc.child.exitCode !== null, 60_000);
    if (proc.child.exitCode !== null) throw new Error(`the worker exited: ${proc.stderr()}`);
    return worker;
  }

  /** Every row a worker ranked for a run (from the trace files), in trace order per worker. */
  rowsOf(run: string): TraceLine[] {
    return this.workers.flatMap((w) => readTrace(w.trace)).filter((line) => line.job.startsWith(`${run}.`));
  }

  async stopAll(): Promise<void> {
    for (const { proc } of this.workers) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
    await Promise.all(this.workers.map((w) => w.proc.exited));
  }
}

export function runIdOf(stderr: string): string {
  const match = /eval: run ([0-9a-f]+) on /.exec(stderr);
  if (!match) throw new Error(`no run id in the producer's log: ${stderr}`);
  return match[1]!;
}

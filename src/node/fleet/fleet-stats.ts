// Who in the fleet did what: per worker, the jobs and rows it returned and the time it spent
// on them, so the producer can show rows/s across the fleet (rows over wall time) and per
// worker (rows over the worker's own busy time).
import type { WorkerStamp } from './jobs';

export interface WorkerSummary {
  worker: string;
  jobs: number;
  rows: number;
  /** Seconds the worker spent on those jobs. */
  busySeconds: number;
  /** rows / busySeconds. */
  rowsPerSecond: number;
}

export interface FleetSummary {
  queue: string;
  shardSize: number;
  jobs: number;
  /** Rows the jobs of this run returned (ranked or refused by the ranker). */
  rows: number;
  /** Rows the workers computed for this run in all (from the run's Redis counter): more than `rows` means work was repeated after a worker died. */
  rowsComputed: number | null;
  seconds: number;
  rowsPerSecond: number;
  workers: WorkerSummary[];
  failedJobs: { job: string; rows: string; attempts: number; error: string }[];
}

export class FleetStats {
  private readonly workers = new Map<string, { jobs: number; rows: number; ms: number }>();
  private readonly started = performance.now();
  jobs = 0;
  rows = 0;
  pairs = 0;

  add(stamp: WorkerStamp, rows: number): void {
    const tally = this.workers.get(stamp.id) ?? { jobs: 0, rows: 0, ms: 0 };
    tally.jobs++;
    tally.rows += rows;
    tally.ms += stamp.ms;
    this.workers.set(stamp.id, tally);
    this.jobs++;
    this.rows += rows;
    this.pairs += stamp.pairs;
  }

  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** One line for the progress log: each worker's rows/s of busy time. */
  line(): string {
    const parts = [...this.workers].map(([id, t]) => `${id} ${rate(t.rows, t.ms / 1000).toFixed(1)}`);
    return `fleet: ${this.workers.size} worker(s), ${rate(this.rows, this.seconds()).toFixed(1)} rows/s in all; rows/s per worker: ${parts.join(', ') || '-'}\n`;
  }

  finish(queue: string, shardSize: number, rowsComputed: number | null, failedJobs: FleetSummary['failedJobs']): FleetSummary {
    const seconds = this.seconds();
    return {
      queue,
      shardSize,
      jobs: this.jobs,
      rows: this.rows,
      rowsComputed,
      seconds,
      rowsPerSecond: rate(this.rows, seconds),
      workers: [...this.workers].map(([worker, t]) => ({
        worker,
        jobs: t.jobs,
        rows: t.rows,
        busySeconds: t.ms / 1000,
        rowsPerSecond: rate(t.rows, t.ms / 1000),
      })),
      failedJobs,
    };
  }
}

/** The fleet part of the summary printed on stderr. */
export function fleetTable(fleet: FleetSummary): string {
  const lines = [
    `fleet: ${fleet.queue}, ${fleet.jobs} jobs of up to ${fleet.shardSize} rows, ${fleet.rows} rows in ${fleet.seconds.toFixed(1)} s ` +
      `(${fleet.rowsPerSecond.toFixed(1)} rows/s)` +
      (fleet.rowsComputed === null ? '' : `; rows computed by the workers: ${fleet.rowsComputed}`),
  ];
  const width = Math.max(6, ...fleet.workers.map((w) => w.worker.length));
  lines.push(`${'worker'.padEnd(width)}  ${'jobs'.padStart(5)}  ${'rows'.padStart(7)}  ${'busy s'.padStart(8)}  ${'rows/s'.padStart(8)}`);
  for (const w of fleet.workers) {
    lines.push(
      `${w.worker.padEnd(width)}  ${String(w.jobs).padStart(5)}  ${String(w.rows).padStart(7)}  ${w.busySeconds.toFixed(1).padStart(8)}  ${w.rowsPerSecond.toFixed(1).padStart(8)}`,
    );
  }
  for (const f of fleet.failedJobs) lines.push(`FAILED job ${f.job} (rows ${f.rows}) after ${f.attempts} attempts: ${f.error}`);
  return lines.join('\n') + '\n';
}

function rate(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

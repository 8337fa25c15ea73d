// Progress of an eval run on stderr: a cli-progress bar (rows, rows/s, pairs/s, ETA) when
// stderr is a terminal, else a plain line every few seconds and one at the end, so logs of a
// batch job stay readable.
import { Presets, SingleBar } from 'cli-progress';

export interface ProgressSink {
  /**
   * Rows done so far (resumed ones included), the ordered pairs the ranker ran in this
   * process, and the rows ranked in this process (default: rowsDone − startRows). Speeds and
   * ETA come from this process's work, so rows skipped on --resume do not inflate them.
   */
  update(rowsDone: number, pairsRun: number, rowsRun?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  /** Rows done before this process started (when rowsRun is not given to update). */
  startRows?: number;
  tty: boolean;
  write: (text: string) => void;
  everySeconds: number;
  stream?: NodeJS.WritableStream;
  now?: () => number;
}

export function createProgress(options: ProgressOptions): ProgressSink {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const rates = (done: number, ran: number, pairs: number) => {
    const seconds = Math.max(1e-9, (now() - started) / 1000);
    const rowsPerSecond = ran / seconds;
    const left = options.total - done;
    return { rowsPerSecond, pairsPerSecond: pairs / seconds, eta: rowsPerSecond > 0 ? left / rowsPerSecond : null, seconds };
  };
  if (options.tty) {
    const bar = new SingleBar(
      {
        format: 'eval |{bar}| {value}/{total} rows | {rps} rows/s | {pps} pairs/s | ETA {eta_text}',
        stream: options.stream ?? process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(options.total, 0, { rps: '-', pps: '-', eta_text: '-' });
    return {
      update(done, pairs, ran = done - (options.startRows ?? 0)) {
        const r = rates(done, ran, pairs);
        bar.update(done, { rps: r.rowsPerSecond.toFixed(1), pps: r.pairsPerSecond.toFixed(1), eta_text: formatSeconds(r.eta) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = started;
  let last = { done: 0, ran: 0, pairs: 0 };
  const line = ({ done, ran, pairs }: typeof last) => {
    const r = rates(done, ran, pairs);
    const percent = options.total ? ((100 * done) / options.total).toFixed(0) : '100';
    options.write(
      `eval: ${done}/${options.total} rows (${percent}%), ${r.rowsPerSecond.toFixed(1)} rows/s, ${r.pairsPerSecond.toFixed(1)} pairs/s, ` +
        `${done < options.total ? `ETA ${formatSeconds(r.eta)}` : `done in ${formatSeconds(r.seconds)}`}\n`,
    );
  };
  return {
    update(done, pairs, ran = done - (options.startRows ?? 0)) {
      last = { done, ran, pairs };
      if (now() - lastLine >= options.everySeconds * 1000) {
        lastLine = now();
        line(last);
      }
    },
    stop: () => line(last),
  };
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// Speed and time left of a download, from (bytes so far, total) samples over time. The speed
// is measured over the last few seconds, so a stall shows as a falling speed, not an
// average that hides it.

export interface DownloadReading {
  loaded: number;
  total: number;
  /** 0..1 */
  fraction: number;
  /** Bytes per second over the recent window; null until two samples are in. */
  bytesPerSecond: number | null;
  /** Milliseconds left at that speed; null when unknown. */
  etaMs: number | null;
}

const WINDOW_MS = 3000;

export class DownloadMeter {
  private samples: Array<{ at: number; loaded: number }> = [];

  constructor(private readonly windowMs = WINDOW_MS) {}

  /** Adds a sample; a smaller `loaded` than the last one starts a new download. */
  update(loaded: number, total: number, nowMs: number): DownloadReading {
    const last = this.samples.at(-1);
    if (last && loaded < last.loaded) this.samples = [];
    this.samples.push({ at: nowMs, loaded });
    // Keep the window, plus the sample just before it to measure from.
    while (this.samples.length > 2 && this.samples[1]!.at < nowMs - this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = nowMs - first.at;
    const bytesPerSecond = elapsed > 0 ? ((loaded - first.loaded) * 1000) / elapsed : null;
    const left = Math.max(0, total - loaded);
    const etaMs = left === 0 ? 0 : bytesPerSecond ? (left * 1000) / bytesPerSecond : null;
    return { loaded, total, fraction: total > 0 ? Math.min(1, loaded / total) : 0, bytesPerSecond, etaMs };
  }
}

// The model loading view: a progress bar fed by the blender's load events (bytes, %, speed,
// time left while downloading; "from cache" when the store serves the files), then one line
// per model saying where its bytes came from.
import type { LoadEvent } from '../client/index';
import { DownloadMeter } from './download-meter';
import { formatBytes, formatDuration, formatPercent, formatRate } from './format';

type Role = 'ranker' | 'fuser';

interface RoleTally {
  downloadedBytes: number;
  downloadedFiles: Set<string>;
  cachedFiles: Set<string>;
  notCached: string[];
}

export class LoadProgressView {
  private meter = new DownloadMeter();
  private meterKey = '';
  private tallies = new Map<Role, RoleTally>();
  /** Bytes of the files finished so far, per role (a download event reports one store call). */
  private finished = new Map<string, number>();
  /** Events cross from the worker on a channel of their own: one may land after the load ended. */

  constructor(
    private readonly bar: HTMLProgressElement,
    private readonly status: HTMLElement,
  ) {}

  start(what: string): void {
    this.meter = new DownloadMeter();
    this.meterKey = '';
    this.tallies.clear();
    this.finished.clear();
    this.bar.removeAttribute('value'); // indeterminate until bytes flow
    this.bar.dataset.state = 'loading';
    this.status.textContent = `Loading ${what}…`;
  }

  handle(event: LoadEvent): void {
    const tally = this.tally(event.role);
    if (event.stage === 'download') {
      const key = `${event.role}|${event.model}|${event.overallTotal}`;
      if (key !== this.meterKey) {
        this.meter = new DownloadMeter();
        this.meterKey = key;
      }
      const reading = this.meter.update(event.overallLoaded, event.overallTotal, performance.now());
      if (event.loaded === event.total) {
        tally.downloadedFiles.add(event.file);
        this.finished.set(`${event.role}|${event.file}`, event.total);
      }
      tally.downloadedBytes = [...this.finished].filter(([name]) => name.startsWith(`${event.role}|`)).reduce((sum, [, bytes]) => sum + bytes, 0);
      this.bar.max = 1;
      this.bar.value = reading.fraction;
      const speed = reading.bytesPerSecond !== null ? ` · ${formatRate(reading.bytesPerSecond)}` : '';
      const eta = reading.etaMs !== null && reading.etaMs > 0 ? ` · ${formatDuration(reading.etaMs)} left` : '';
      this.status.textContent =
        `Downloading the ${event.role}: ${event.file} — ${formatBytes(reading.loaded)} of ${formatBytes(reading.total)} ` +
        `(${formatPercent(reading.fraction)})${speed}${eta}`;
      return;
    }
    if (event.stage === 'cache') {
      if (event.status === 'hit') {
        tally.cachedFiles.add(event.file);
        this.bar.max = 1;
        this.bar.value = 1;
        this.status.textContent = `The ${event.role}: ${event.file} from cache`;
      } else if (event.status === 'not-cached') {
        tally.notCached.push(`${event.file}: ${event.reason ?? 'not stored'}`);
      } else if (event.status === 'corrupt') {
        this.status.textContent = `The ${event.role}: the cached ${event.file} was damaged (${event.reason ?? ''}); downloading it again`;
      }
      return;
    }
    if (event.stage === 'session') {
      if (event.status === 'creating') {
        this.bar.removeAttribute('value');
        this.status.textContent = `Starting the ${event.role} on ${event.backend.toUpperCase()} (${event.dtype})…`;
      }
      return;
    }
    this.status.textContent = `WebGPU could not run the ${event.role}: falling back to WASM (${event.reason})`;
  }

  /** After a load: where each model's files came from, and how long it all took. */
  done(ms: number): void {
    this.bar.max = 1;
    this.bar.value = 1;
    this.bar.dataset.state = 'done';
    const parts = [...this.tallies].map(([role, tally]) => `${capitalise(role)}: ${this.origin(tally)}`);
    this.status.textContent = `${parts.join(' · ')} · ready in ${formatDuration(ms)}`;
  }

  failed(message: string): void {
    this.bar.max = 1;
    this.bar.value = 0;
    this.bar.dataset.state = 'failed';
    this.status.textContent = message;
  }

  private origin(tally: RoleTally): string {
    const downloaded = tally.downloadedFiles.size;
    const cached = tally.cachedFiles.size;
    const pieces: string[] = [];
    if (downloaded) pieces.push(`downloaded ${formatBytes(tally.downloadedBytes)} (${files(downloaded)})`);
    if (cached) pieces.push(downloaded ? `${files(cached)} from cache` : `from cache (${files(cached)})`);
    if (tally.notCached.length) pieces.push(`not cached: ${tally.notCached.join('; ')}`);
    return pieces.join(', ') || 'loaded';
  }

  private tally(role: Role): RoleTally {
    let tally = this.tallies.get(role);
    if (!tally) this.tallies.set(role, (tally = { downloadedBytes: 0, downloadedFiles: new Set(), cachedFiles: new Set(), notCached: [] }));
    return tally;
  }
}

const files = (count: number) => `${count} file${count === 1 ? '' : 's'}`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

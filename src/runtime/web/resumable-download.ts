/**
 * One model file from the network, verified against its manifest entry before anyone sees
 * it (sha256, hashed as the bytes arrive). A download that fails on the way (network error,
 * 5xx, a stream cut short) is tried again with exponential backoff; what arrived before the
 * failure is kept and only the rest is asked for with a Range request, unless the server
 * answers with the whole file again. With a {@link DownloadTarget} (a file on disk) every
 * chunk is also written there as it arrives, and a download starts from what the target
 * already holds; if those bytes turn out wrong, the file is downloaded once more from byte 0.
 */
import { abortedError, BlenderError } from '../../engine/errors';
import { sha256Incremental, type IncrementalHash } from './file-checksum';
import { describeError, joinUrl, signalInit, type ManifestFile, type ModelFetch } from './manifest';

export interface RetryPolicy {
  /** Tries per file in all, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles for every further try, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type DownloadEvent =
  | {
      stage: 'download';
      model: string;
      file: string;
      /** Bytes of this file received so far, and its size from the manifest. */
      loaded: number;
      total: number;
      /** Bytes of every file this load fetches, received so far and in all. */
      overallLoaded: number;
      overallTotal: number;
    }
  | {
      /** A download failed on the way and is tried again after `delayMs`. */
      stage: 'retry';
      model: string;
      file: string;
      /** The attempt that failed (1 = the first). */
      attempt: number;
      delayMs: number;
      /** Bytes already received, asked for again only from here (Range) when the server allows. */
      resumeFrom: number;
      reason: string;
    };

/** Bytes received by every file of one load, for its overall progress. */
export interface OverallProgress {
  loaded: number;
  total: number;
}

/**
 * Where a download's bytes are kept as they arrive (a partial file in OPFS), and what an
 * earlier download left there. Its methods never throw: a target that fails stops keeping
 * bytes and says so when it is committed.
 */
export interface DownloadTarget {
  /** Copies the bytes already held (from byte 0) into `into`; returns how many. */
  resume(into: Uint8Array): number;
  write(chunk: Uint8Array, at: number): void;
  /** Everything held so far is dropped: the download starts again from byte 0. */
  restart(): void;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onEvent?: (event: DownloadEvent) => void;
  target?: DownloadTarget | undefined;
}

export interface DownloaderDeps {
  fetch: ModelFetch;
  retry?: Partial<RetryPolicy>;
  /** Waits between tries (tests replace it); rejects when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };
/** Statuses worth another try: the server or a proxy may answer differently in a moment. */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

interface Received {
  bytes: Uint8Array;
  loaded: number;
  hash: IncrementalHash;
  target: DownloadTarget | undefined;
}

export class ResumableDownloader {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly deps: DownloaderDeps) {
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
    this.sleep = deps.sleep ?? abortableSleep;
  }

  /** The verified bytes of `entry`; `overall` is shared by the files of one load. */
  async download(model: string, entry: ManifestFile, overall: OverallProgress, options: DownloadOptions = {}): Promise<Uint8Array> {
    const url = joinUrl(model, entry.path);
    const { target } = options;
    const received: Received = { bytes: new Uint8Array(entry.bytes), loaded: 0, hash: await sha256Incremental(), target };
    const resumedFromDisk = target ? target.resume(received.bytes) : 0;
    if (resumedFromDisk > 0) {
      received.loaded = resumedFromDisk;
      received.hash.update(received.bytes.subarray(0, resumedFromDisk));
      overall.loaded += resumedFromDisk;
      // Progress starts where the earlier download left off.
      options.onEvent?.({
        stage: 'download',
        model,
        file: entry.path,
        loaded: resumedFromDisk,
        total: entry.bytes,
        overallLoaded: overall.loaded,
        overallTotal: overall.total,
      });
    }
    await this.fetchRest(model, entry, received, overall, options);
    let digest = received.hash.digest();
    if (digest !== entry.sha256 && resumedFromDisk > 0) {
      // The bytes kept on disk may be what is wrong (a torn write): once more, all from the network.
      restart(received, overall);
      await this.fetchRest(model, entry, received, overall, options);
      digest = received.hash.digest();
    }
    if (digest !== entry.sha256) {
      throw new BlenderError('INTEGRITY_MISMATCH', `${url} has sha256 ${digest}, its manifest lists ${entry.sha256}; nothing was stored`, 'model');
    }
    return received.bytes;
  }

  /** Fetches what `received` lacks, trying again with backoff; nothing when it is complete. */
  private async fetchRest(model: string, entry: ManifestFile, received: Received, overall: OverallProgress, options: DownloadOptions): Promise<void> {
    const url = joinUrl(model, entry.path);
    for (let attempt = 1; received.loaded < entry.bytes || received.loaded === 0; attempt++) {
      try {
        await this.fetchInto(model, entry, received, overall, options);
        return;
      } catch (error) {
        if (options.signal?.aborted) throw abortedError(options.signal, 'load');
        if (!(error instanceof TransientFailure)) throw error;
        if (attempt >= this.retry.attempts) {
          throw (
            error.finalError ??
            new BlenderError('DOWNLOAD_FAILED', `could not download ${url}: ${error.message} (${attempt} attempts)`, 'model', {
              cause: error.cause,
            })
          );
        }
        const delayMs = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        options.onEvent?.({ stage: 'retry', model, file: entry.path, attempt, delayMs, resumeFrom: received.loaded, reason: error.message });
        await this.sleep(delayMs, options.signal).catch((wait: unknown) => {
          throw options.signal?.aborted ? abortedError(options.signal, 'load') : wait;
        });
      }
    }
  }

  /** One try: fetches the file (or its rest, from `received.loaded`) into `received`. */
  private async fetchInto(model: string, entry: ManifestFile, received: Received, overall: OverallProgress, options: DownloadOptions): Promise<void> {
    const url = joinUrl(model, entry.path);
    const resumeFrom = received.loaded;
    let response: Response;
    try {
      response = await this.deps.fetch(url, {
        ...signalInit(options.signal),
        ...(resumeFrom > 0 ? { headers: { Range: `bytes=${resumeFrom}-` } } : {}),
      });
    } catch (error) {
      throw new TransientFailure(describeError(error), error);
    }
    if (response.status === 416 && resumeFrom > 0) {
      // Nothing past what we have: the server's file is shorter than the manifest says.
      throw shortFile(url, resumeFrom, entry.bytes);
    }
    if (!response.ok) {
      const why = `HTTP ${response.status}`;
      if (TRANSIENT_STATUSES.has(response.status)) throw new TransientFailure(why);
      throw new BlenderError('DOWNLOAD_FAILED', `could not download ${url}: ${why}`, 'model');
    }
    if (resumeFrom > 0 && (response.status !== 206 || contentRangeStart(response) !== resumeFrom)) {
      // The server sent the whole file (no Range support) or a range we did not ask for:
      // start over from its first byte.
      restart(received, overall);
      if (response.status === 206) {
        await response.body?.cancel().catch(() => undefined);
        throw new TransientFailure(`the server answered the range request with ${response.headers.get('content-range')}`);
      }
    }
    if (!response.body) throw new BlenderError('DOWNLOAD_FAILED', `could not download ${url}: HTTP ${response.status} without a body`, 'model');
    await this.readBody(response.body, url, model, entry, received, overall, options);
  }

  private async readBody(
    body: ReadableStream<Uint8Array>,
    url: string,
    model: string,
    entry: ManifestFile,
    received: Received,
    overall: OverallProgress,
    options: DownloadOptions,
  ): Promise<void> {
    const reader = body.getReader();
    const report = () =>
      options.onEvent?.({
        stage: 'download',
        model,
        file: entry.path,
        loaded: received.loaded,
        total: entry.bytes,
        overallLoaded: overall.loaded,
        overallTotal: overall.total,
      });
    report();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new TransientFailure(`the download broke off after ${received.loaded} bytes: ${describeError(error)}`, error);
      }
      if (chunk.done) {
        if (received.loaded === entry.bytes) return;
        // A body that ends early: a dropped connection looks like this where no length was
        // promised. Ask for the rest; a server with nothing more answers 416.
        throw new TransientFailure(
          `the download ended after ${received.loaded} of ${entry.bytes} bytes`,
          undefined,
          shortFile(url, received.loaded, entry.bytes),
        );
      }
      const { value } = chunk;
      if (received.loaded + value.byteLength > received.bytes.byteLength) {
        await reader.cancel().catch(() => undefined);
        throw new BlenderError('INTEGRITY_MISMATCH', `${url} is larger than the ${entry.bytes} bytes its manifest lists; nothing was stored`, 'model');
      }
      received.bytes.set(value, received.loaded);
      received.hash.update(value);
      received.target?.write(value, received.loaded);
      received.loaded += value.byteLength;
      overall.loaded += value.byteLength;
      report();
    }
  }
}

/** Drops what was received: the file is fetched again from its first byte. */
function restart(received: Received, overall: OverallProgress): void {
  overall.loaded -= received.loaded;
  received.loaded = 0;
  received.hash.reset();
  received.target?.restart();
}

/** A failure that another try may not repeat (network error, 5xx, a broken stream). */
class TransientFailure extends Error {
  constructor(
    message: string,
    cause?: unknown,
    /** What to report when no try is left (default: DOWNLOAD_FAILED). */
    readonly finalError?: BlenderError,
  ) {
    super(message, { cause });
  }
}

function shortFile(url: string, bytes: number, listed: number): BlenderError {
  return new BlenderError('INTEGRITY_MISMATCH', `${url} has ${bytes} bytes, its manifest lists ${listed}; nothing was stored`, 'model');
}

/** The first byte of a 206 response (`Content-Range: bytes 100-199/200`), or -1. */
function contentRangeStart(response: Response): number {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range')?.trim() ?? '');
  return match ? Number(match[1]) : -1;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal, 'load'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal, 'load'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

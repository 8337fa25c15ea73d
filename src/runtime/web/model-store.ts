/**
 * The one place that fetches and caches model bytes in pages.
 *
 * A model is a folder (URL) with a `manifest.json` listing every file with its size and
 * sha256. Files are streamed with progress events, verified against the manifest before
 * anything is stored, stored in chunks (no single giant IndexedDB value), and keyed by
 * their sha256 so a changed file is a different entry. A stored file is verified again
 * when read; a corrupt one is dropped and downloaded anew.
 *
 * A download that fails on the way (network error, 5xx, a stream cut short by an error) is
 * retried with exponential backoff, resuming with a Range request where the server answers
 * 206. Where a lock is given (a Web Lock in pages), one tab downloads a model while the
 * others wait for it and then read the cache.
 *
 * Every dependency (key-value storage, fetch, crypto, the StorageManager, the lock, timers)
 * is injected, so this logic runs unchanged in Node tests with in-memory fakes.
 */
import { BlenderError } from '../../engine/errors';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelManifest {
  files: ManifestFile[];
  [extra: string]: unknown;
}

/** The subset of idb-keyval (or a Map) the store needs. */
export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  /** Several values in one transaction: a warm load reads a file's chunks about twice as fast. */
  getMany?(keys: string[]): Promise<unknown[]>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** The subset of `navigator.storage` the store uses; absent where the browser has none. */
export interface StorageManagerLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
}

export type StoreEvent =
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
    }
  | {
      stage: 'cache';
      model: string;
      file: string;
      status: 'hit' | 'stored' | 'not-cached' | 'corrupt';
      /** Why a file was not cached, or what was wrong with the stored copy. */
      reason?: string;
    };

export interface LoadOptions {
  signal?: AbortSignal;
  onEvent?: (event: StoreEvent) => void;
}

export interface CachedModel {
  model: string;
  files: Array<{ path: string; bytes: number; sha256: string }>;
  bytes: number;
}

export interface StoreUsage {
  /** Bytes of model files this store holds. */
  bytes: number;
  /** The origin's usage and quota as the browser reports them (undefined where unknown). */
  originUsage: number | undefined;
  quota: number | undefined;
}

interface StoredFileMeta {
  model: string;
  path: string;
  sha256: string;
  bytes: number;
  chunkKeys: string[];
}

interface StoredCopy {
  meta: StoredFileMeta;
  bytes: Uint8Array;
}

/** A file's bytes whose check is still running (see {@link ModelStore.fileCheckedLater}). */
export interface PendingFile {
  bytes: Uint8Array;
  /** True once the bytes match the manifest's sha256; false: they do not, never use them. */
  verified: Promise<boolean>;
}

export interface FetchInit {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Runs `work` while holding the exclusive lock `name` (navigator.locks in pages). Rejects
 * without running it when `signal` fires while waiting.
 */
export type ModelLock = <T>(name: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export interface RetryPolicy {
  /** Tries per file in all, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles for every further try, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ModelStoreDeps {
  storage: KeyValueStorage;
  fetch: (url: string, init?: FetchInit) => Promise<Response>;
  subtle: SubtleCrypto;
  storageManager?: StorageManagerLike | undefined;
  /** Size of one stored chunk; 8 MiB keeps IndexedDB transactions small. */
  chunkBytes?: number;
  /** Serializes downloads of one model across tabs; absent: no cross-tab coordination. */
  lock?: ModelLock | undefined;
  retry?: Partial<RetryPolicy>;
  /** Waits between tries (tests replace it); rejects when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };
/** Statuses worth another try: the server or a proxy may answer differently in a moment. */
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const META_PREFIX = 'file|';
const CHUNK_PREFIX = 'chunk|';
const MANIFEST_PREFIX = 'manifest|';

export class ModelStore {
  private readonly chunkBytes: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private persistRequested = false;
  private readonly manifests = new Map<string, Promise<ModelManifest>>();

  constructor(private readonly deps: ModelStoreDeps) {
    this.chunkBytes = deps.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
    this.sleep = deps.sleep ?? sleep;
  }

  /**
   * The model's manifest: fetched from the network once per store (so a changed model is
   * noticed on the next start), the stored copy when the network fails (offline use of a
   * cached model).
   */
  manifest(model: string, options: LoadOptions = {}): Promise<ModelManifest> {
    const name = normalizeModel(model);
    const known = this.manifests.get(name);
    if (known) return known;
    const loading = this.loadManifest(model, options);
    this.manifests.set(name, loading);
    loading.catch(() => this.manifests.delete(name));
    return loading;
  }

  private async loadManifest(model: string, options: LoadOptions): Promise<ModelManifest> {
    const url = joinUrl(model, 'manifest.json');
    let fetchError: unknown;
    let response: Response | undefined;
    try {
      response = await this.deps.fetch(url, signalInit(options.signal));
      if (!response.ok) fetchError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      fetchError = error;
    }
    if (response?.ok) {
      // A manifest that arrives but is not one is the model's fault, not the network's.
      const json: unknown = await response.json().catch((error: unknown) => {
        throw new BlenderError('MODEL_INVALID', `${url} is not JSON: ${describe(error)}`, 'model', { cause: error });
      });
      const manifest = parseManifest(json, url);
      await this.deps.storage.set(MANIFEST_PREFIX + normalizeModel(model), manifest).catch(() => undefined);
      return manifest;
    }
    const stored = await this.deps.storage.get(MANIFEST_PREFIX + normalizeModel(model)).catch(() => undefined);
    if (stored) return parseManifest(stored, url);
    throw new BlenderError('DOWNLOAD_FAILED', `could not fetch ${url}: ${describe(fetchError)}`, 'model', {
      cause: fetchError,
    });
  }

  /**
   * The bytes of `paths` (relative to the model folder), from the cache when a verified copy
   * is there, else from the network (then stored). Progress covers only what is fetched.
   */
  async files(model: string, paths: readonly string[], options: LoadOptions = {}): Promise<Map<string, Uint8Array>> {
    const manifest = await this.manifest(model, options);
    const entries = paths.map((path) => manifestEntry(manifest, model, path));

    const result = new Map<string, Uint8Array>();
    const missing: ManifestFile[] = [];
    for (const entry of entries) {
      const cached = await this.readVerified(model, entry, options);
      if (cached) result.set(entry.path, cached);
      else missing.push(entry);
    }

    if (missing.length === 0) return result;
    const { lock } = this.deps;
    if (!lock) {
      await this.fetchAndStore(model, missing, result, options);
      return result;
    }
    // Another tab may be downloading the same files: wait for it, then take what it stored.
    try {
      await lock(
        `llm-blender-web:model:${normalizeModel(model)}`,
        async () => {
          const stillMissing: ManifestFile[] = [];
          for (const entry of missing) {
            const cached = await this.readVerified(model, entry, options);
            if (cached) result.set(entry.path, cached);
            else stillMissing.push(entry);
          }
          await this.fetchAndStore(model, stillMissing, result, options);
        },
        options.signal,
      );
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      throw error;
    }
    return result;
  }

  private async fetchAndStore(
    model: string,
    entries: readonly ManifestFile[],
    result: Map<string, Uint8Array>,
    options: LoadOptions,
  ): Promise<void> {
    const overall = { loaded: 0, total: entries.reduce((sum, entry) => sum + entry.bytes, 0) };
    for (const entry of entries) {
      const bytes = await this.download(model, entry, overall, options);
      await this.store(model, entry, bytes, options);
      result.set(entry.path, bytes);
    }
  }

  /** The bytes of one file (see {@link files}). */
  async file(model: string, path: string, options: LoadOptions = {}): Promise<Uint8Array> {
    const files = await this.files(model, [path], options);
    return files.get(path)!;
  }

  /**
   * The bytes of one file, a stored copy handed out while its sha256 is still being checked,
   * so the caller can start slow work on them (an ORT session) meanwhile. The hash starts
   * before this resolves (WebCrypto takes its own copy of the bytes at that moment). The
   * caller must not use what it built until `verified` is true. False means the stored copy
   * failed: it was reported ('corrupt') and dropped, as {@link file} does, and the caller
   * throws its work away and asks {@link file} again, which downloads the file anew.
   * Bytes that come from the network are verified before they are handed out.
   */
  async fileCheckedLater(model: string, path: string, options: LoadOptions = {}): Promise<PendingFile> {
    const entry = manifestEntry(await this.manifest(model, options), model, path);
    const stored = await this.readStored(model, entry, options);
    if (!stored) return { bytes: await this.file(model, path, options), verified: Promise.resolve(true) };
    return { bytes: stored.bytes, verified: this.checkStored(model, entry, stored, options) };
  }

  async list(): Promise<CachedModel[]> {
    const models = new Map<string, CachedModel>();
    for (const meta of await this.allMeta()) {
      const model = models.get(meta.model) ?? { model: meta.model, files: [], bytes: 0 };
      model.files.push({ path: meta.path, bytes: meta.bytes, sha256: meta.sha256 });
      model.bytes += meta.bytes;
      models.set(meta.model, model);
    }
    return [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
  }

  async delete(model: string): Promise<void> {
    const name = normalizeModel(model);
    for (const meta of await this.allMeta()) {
      if (meta.model === name) await this.dropFile(meta);
    }
    await this.storage('delete', () => this.deps.storage.del(MANIFEST_PREFIX + name));
    this.manifests.delete(name);
  }

  async clear(): Promise<void> {
    this.manifests.clear();
    await this.storage('clear', async () => {
      for (const key of await this.deps.storage.keys()) {
        if (key.startsWith(META_PREFIX) || key.startsWith(CHUNK_PREFIX) || key.startsWith(MANIFEST_PREFIX)) {
          await this.deps.storage.del(key);
        }
      }
    });
  }

  async usage(): Promise<StoreUsage> {
    const bytes = (await this.allMeta()).reduce((sum, meta) => sum + meta.bytes, 0);
    const estimate = await this.deps.storageManager?.estimate().catch(() => undefined);
    return { bytes, originUsage: estimate?.usage, quota: estimate?.quota };
  }

  /** A cache operation whose storage failure is the caller's answer, named as such. */
  private async storage<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new BlenderError('STORAGE_UNAVAILABLE', `the model cache cannot ${what}: ${describe(error)}`, undefined, { cause: error });
    }
  }

  private async readVerified(model: string, entry: ManifestFile, options: LoadOptions): Promise<Uint8Array | null> {
    const stored = await this.readStored(model, entry, options);
    return stored && (await this.checkStored(model, entry, stored, options)) ? stored.bytes : null;
  }

  /**
   * A stored copy's bytes, not yet hashed; null where there is none or it is plainly broken
   * (a chunk missing or of the wrong size: reported and dropped).
   */
  private async readStored(model: string, entry: ManifestFile, options: LoadOptions): Promise<StoredCopy | null> {
    const metaKey = metaKeyOf(model, entry.path);
    const meta = (await this.deps.storage.get(metaKey).catch(() => undefined)) as StoredFileMeta | undefined;
    if (!meta) return null;
    if (meta.sha256 !== entry.sha256) {
      // The model changed on the server: the old copy is dead weight.
      await this.dropFile(meta);
      return null;
    }
    const bytes = new Uint8Array(entry.bytes);
    let offset = 0;
    let problem: string | null = null;
    const chunks = await this.readChunks(meta.chunkKeys);
    for (const [index, chunk] of chunks.entries()) {
      if (!(chunk instanceof Uint8Array) || offset + chunk.byteLength > bytes.byteLength) {
        problem = `stored chunk ${meta.chunkKeys[index]} is missing or has the wrong size`;
        break;
      }
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
      // Let the chunk go now: the file is held twice at most, not three times.
      chunks[index] = undefined;
    }
    if (!problem && offset !== entry.bytes) problem = `stored copy has ${offset} bytes, manifest says ${entry.bytes}`;
    if (problem) {
      await this.reportCorrupt(model, entry, meta, problem, options);
      return null;
    }
    return { meta, bytes };
  }

  /** True when a stored copy matches its sha256 ('hit'); else it is reported and dropped. */
  private async checkStored(model: string, entry: ManifestFile, stored: StoredCopy, options: LoadOptions): Promise<boolean> {
    if ((await sha256Hex(this.deps.subtle, stored.bytes)) !== entry.sha256) {
      await this.reportCorrupt(model, entry, stored.meta, 'stored copy fails its sha256', options);
      return false;
    }
    options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'hit' });
    return true;
  }

  private async reportCorrupt(model: string, entry: ManifestFile, meta: StoredFileMeta, reason: string, options: LoadOptions): Promise<void> {
    options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'corrupt', reason });
    await this.dropFile(meta);
  }

  /** A file's stored chunks, undefined where one cannot be read (the caller drops the copy). */
  private async readChunks(keys: string[]): Promise<unknown[]> {
    const { storage } = this.deps;
    if (storage.getMany) {
      const many = await storage.getMany(keys).catch(() => null);
      if (many) return many;
    }
    return Promise.all(keys.map((key) => storage.get(key).catch(() => undefined)));
  }

  /**
   * One file from the network, verified against its manifest entry. Failures on the way are
   * tried again (see RetryPolicy); what arrived before a failure is kept and only the rest
   * is asked for (Range), unless the server answers with the whole file again.
   */
  private async download(
    model: string,
    entry: ManifestFile,
    overall: { loaded: number; total: number },
    options: LoadOptions,
  ): Promise<Uint8Array> {
    const url = joinUrl(model, entry.path);
    const received = { bytes: new Uint8Array(entry.bytes), loaded: 0 };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.fetchInto(model, entry, received, overall, options);
        break;
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
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
        options.onEvent?.({
          stage: 'retry',
          model,
          file: entry.path,
          attempt,
          delayMs,
          resumeFrom: received.loaded,
          reason: error.message,
        });
        await this.sleep(delayMs, options.signal).catch((wait: unknown) => {
          throw options.signal?.aborted ? abortError(options.signal) : wait;
        });
      }
    }
    const digest = await sha256Hex(this.deps.subtle, received.bytes);
    if (digest !== entry.sha256) {
      throw new BlenderError(
        'INTEGRITY_MISMATCH',
        `${url} has sha256 ${digest}, its manifest lists ${entry.sha256}; nothing was stored`,
        'model',
      );
    }
    return received.bytes;
  }

  /** One try: fetches the file (or its rest, from `received.loaded`) into `received`. */
  private async fetchInto(
    model: string,
    entry: ManifestFile,
    received: { bytes: Uint8Array; loaded: number },
    overall: { loaded: number; total: number },
    options: LoadOptions,
  ): Promise<void> {
    const url = joinUrl(model, entry.path);
    const resumeFrom = received.loaded;
    let response: Response;
    try {
      response = await this.deps.fetch(url, {
        ...signalInit(options.signal),
        ...(resumeFrom > 0 ? { headers: { Range: `bytes=${resumeFrom}-` } } : {}),
      });
    } catch (error) {
      throw new TransientFailure(describe(error), error);
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
      if (response.status === 206) {
        await response.body?.cancel().catch(() => undefined);
        overall.loaded -= received.loaded;
        received.loaded = 0;
        throw new TransientFailure(`the server answered the range request with ${response.headers.get('content-range')}`);
      }
      overall.loaded -= received.loaded;
      received.loaded = 0;
    }
    if (!response.body) throw new BlenderError('DOWNLOAD_FAILED', `could not download ${url}: HTTP ${response.status} without a body`, 'model');

    const { bytes } = received;
    const reader = response.body.getReader();
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
        throw new TransientFailure(`the download broke off after ${received.loaded} bytes: ${describe(error)}`, error);
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
      if (received.loaded + value.byteLength > bytes.byteLength) {
        await reader.cancel().catch(() => undefined);
        throw new BlenderError(
          'INTEGRITY_MISMATCH',
          `${url} is larger than the ${entry.bytes} bytes its manifest lists; nothing was stored`,
          'model',
        );
      }
      bytes.set(value, received.loaded);
      received.loaded += value.byteLength;
      overall.loaded += value.byteLength;
      report();
    }
  }

  /** Stores a verified file; a failure to store never fails the load, it is reported. */
  private async store(model: string, entry: ManifestFile, bytes: Uint8Array, options: LoadOptions): Promise<void> {
    const notCached = (reason: string) =>
      options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'not-cached', reason });

    const estimate = await this.deps.storageManager?.estimate().catch(() => undefined);
    if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes.byteLength) {
      notCached(`not enough storage quota (${estimate.quota - estimate.usage} bytes free, ${bytes.byteLength} needed)`);
      return;
    }
    if (!this.persistRequested && this.deps.storageManager?.persist) {
      this.persistRequested = true;
      // Best effort: a persisted origin is not evicted under storage pressure.
      await this.deps.storageManager.persist().catch(() => false);
    }

    const name = normalizeModel(model);
    const meta: StoredFileMeta = { model: name, path: entry.path, sha256: entry.sha256, bytes: entry.bytes, chunkKeys: [] };
    try {
      for (let offset = 0, index = 0; offset < bytes.byteLength || index === 0; offset += this.chunkBytes, index++) {
        const key = `${CHUNK_PREFIX}${name}|${entry.path}|${entry.sha256}|${index}`;
        // A copy, so the stored value does not pin the whole file's buffer.
        await this.deps.storage.set(key, bytes.slice(offset, offset + this.chunkBytes));
        meta.chunkKeys.push(key);
      }
      // The meta record goes last: a store cut short never looks complete.
      await this.deps.storage.set(metaKeyOf(model, entry.path), meta);
      options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'stored' });
    } catch (error) {
      await this.dropFile(meta);
      notCached(isQuotaError(error) ? 'storage quota exceeded' : `storage failed: ${describe(error)}`);
    }
  }

  private async dropFile(meta: StoredFileMeta): Promise<void> {
    await this.deps.storage.del(metaKeyOf(meta.model, meta.path)).catch(() => undefined);
    for (const key of meta.chunkKeys) await this.deps.storage.del(key).catch(() => undefined);
  }

  private async allMeta(): Promise<StoredFileMeta[]> {
    return this.storage('list', async () => {
      const metas: StoredFileMeta[] = [];
      for (const key of await this.deps.storage.keys()) {
        if (!key.startsWith(META_PREFIX)) continue;
        const meta = (await this.deps.storage.get(key)) as StoredFileMeta | undefined;
        if (meta) metas.push(meta);
      }
      return metas;
    });
  }

}

function manifestEntry(manifest: ModelManifest, model: string, path: string): ManifestFile {
  const entry = manifest.files.find((file) => file.path === path);
  if (!entry) throw new BlenderError('MODEL_INVALID', `${joinUrl(model, path)} is not listed in the model's manifest.json`, 'model');
  return entry;
}

function parseManifest(value: unknown, url: string): ModelManifest {
  const files = (value as { files?: unknown } | null)?.files;
  const valid =
    Array.isArray(files) &&
    files.every(
      (file: Partial<ManifestFile> | null) =>
        typeof file?.path === 'string' &&
        Number.isSafeInteger(file.bytes) &&
        typeof file.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(file.sha256),
    );
  if (!valid) throw new BlenderError('MODEL_INVALID', `${url} is not a model manifest ({files: [{path, bytes, sha256}]})`, 'model');
  return value as ModelManifest;
}

export async function sha256Hex(subtle: SubtleCrypto, bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A model's identity in the store: its folder URL without a trailing slash. */
function normalizeModel(model: string): string {
  return model.replace(/\/+$/, '');
}

function metaKeyOf(model: string, path: string): string {
  return `${META_PREFIX}${normalizeModel(model)}|${path}`;
}

export function joinUrl(model: string, path: string): string {
  return `${normalizeModel(model)}/${path}`;
}

function signalInit(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): BlenderError {
  return new BlenderError('ABORTED', 'the load was aborted', 'signal', { cause: signal.reason });
}

function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

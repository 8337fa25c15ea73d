/**
 * The one place that fetches and caches model bytes in pages.
 *
 * A model is a folder (URL) with a `manifest.json` listing every file with its size and
 * sha256 (./manifest.ts). Files are downloaded with progress events, resumed and retried on
 * failures, and verified against the manifest before anything is stored
 * (./resumable-download.ts); stored in chunks keyed by their sha256 (./chunked-cache.ts). A
 * stored file is verified again when read; a corrupt one is dropped and downloaded anew.
 *
 * Where a lock is given (a Web Lock in pages), one tab downloads a model while the others
 * wait for it and then read the cache; deletes wait for it too.
 *
 * Every dependency (key-value storage, fetch, crypto, the StorageManager, the lock, timers)
 * is injected, so this logic runs unchanged in Node tests with in-memory fakes.
 */
import { abortedError } from '../../engine/errors';
import {
  ChunkedCache,
  modelLockName,
  type CachedModel,
  type KeyValueStorage,
  type ModelLock,
  type StorageManagerLike,
  type StoredFileMeta,
  type StoreUsage,
} from './chunked-cache';
import { fetchManifest, manifestEntry, normalizeModel, sha256Hex, type ManifestFile, type ModelFetch, type ModelManifest } from './manifest';
import { ResumableDownloader, type DownloadEvent, type RetryPolicy } from './resumable-download';

export type { CachedModel, KeyValueStorage, ModelLock, StorageManagerLike, StoreUsage } from './chunked-cache';
export { modelLockName } from './chunked-cache';
export type { FetchInit, ManifestFile, ModelManifest } from './manifest';
export { joinUrl, sha256Hex } from './manifest';
export type { RetryPolicy } from './resumable-download';

export type StoreEvent =
  | DownloadEvent
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

/** A file's bytes whose check is still running (see {@link ModelStore.fileCheckedLater}). */
export interface PendingFile {
  bytes: Uint8Array;
  /** True once the bytes match the manifest's sha256; false: they do not, never use them. */
  verified: Promise<boolean>;
}

export interface ModelStoreDeps {
  storage: KeyValueStorage;
  fetch: ModelFetch;
  subtle: SubtleCrypto;
  storageManager?: StorageManagerLike | undefined;
  /** Size of one stored chunk; 8 MiB keeps IndexedDB transactions small. */
  chunkBytes?: number;
  /** Serializes downloads (and deletes) of one model across tabs; absent: no cross-tab coordination. */
  lock?: ModelLock | undefined;
  retry?: Partial<RetryPolicy>;
  /** Waits between tries (tests replace it); rejects when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface StoredCopy {
  meta: StoredFileMeta;
  bytes: Uint8Array;
}

export class ModelStore {
  private readonly cache: ChunkedCache;
  private readonly downloader: ResumableDownloader;
  private readonly manifests = new Map<string, Promise<ModelManifest>>();

  constructor(private readonly deps: ModelStoreDeps) {
    this.cache = new ChunkedCache(deps.storage, { chunkBytes: deps.chunkBytes, storageManager: deps.storageManager, lock: deps.lock });
    this.downloader = new ResumableDownloader({
      fetch: deps.fetch,
      subtle: deps.subtle,
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
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
    const loading = fetchManifest(model, this.deps.fetch, this.cache.manifests, options.signal);
    this.manifests.set(name, loading);
    loading.catch(() => this.manifests.delete(name));
    return loading;
  }

  /**
   * The bytes of `paths` (relative to the model folder), from the cache when a verified copy
   * is there, else from the network (then stored). Progress covers only what is fetched.
   */
  async files(model: string, paths: readonly string[], options: LoadOptions = {}): Promise<Map<string, Uint8Array>> {
    const manifest = await this.manifest(model, options);
    const entries = paths.map((path) => manifestEntry(manifest, model, path));

    const result = new Map<string, Uint8Array>();
    const missing = await this.takeCached(model, entries, result, options);
    if (missing.length === 0) return result;
    const { lock } = this.deps;
    if (!lock) {
      await this.fetchAndStore(model, missing, result, options);
      return result;
    }
    // Another tab may be downloading the same files: wait for it, then take what it stored.
    try {
      await lock(
        modelLockName(model),
        async () => this.fetchAndStore(model, await this.takeCached(model, missing, result, options), result, options),
        options.signal,
      );
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(options.signal, 'load');
      throw error;
    }
    return result;
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

  list(): Promise<CachedModel[]> {
    return this.cache.list();
  }

  usage(): Promise<StoreUsage> {
    return this.cache.usage();
  }

  async delete(model: string): Promise<void> {
    await this.cache.deleteModel(model);
    this.manifests.delete(normalizeModel(model));
  }

  async clear(): Promise<void> {
    this.manifests.clear();
    await this.cache.clear();
  }

  /** Puts the verified stored copies of `entries` in `result`; returns the entries left. */
  private async takeCached(model: string, entries: readonly ManifestFile[], result: Map<string, Uint8Array>, options: LoadOptions): Promise<ManifestFile[]> {
    const missing: ManifestFile[] = [];
    for (const entry of entries) {
      const stored = await this.readStored(model, entry, options);
      if (stored && (await this.checkStored(model, entry, stored, options))) result.set(entry.path, stored.bytes);
      else missing.push(entry);
    }
    return missing;
  }

  private async fetchAndStore(model: string, entries: readonly ManifestFile[], result: Map<string, Uint8Array>, options: LoadOptions): Promise<void> {
    const overall = { loaded: 0, total: entries.reduce((sum, entry) => sum + entry.bytes, 0) };
    for (const entry of entries) {
      const bytes = await this.downloader.download(model, entry, overall, options);
      const outcome = await this.cache.write(model, entry, bytes);
      options.onEvent?.(
        outcome.stored
          ? { stage: 'cache', model, file: entry.path, status: 'stored' }
          : { stage: 'cache', model, file: entry.path, status: 'not-cached', reason: outcome.reason },
      );
      result.set(entry.path, bytes);
    }
  }

  /** A stored copy, not yet hashed; null where there is none or it is plainly broken (reported, dropped). */
  private async readStored(model: string, entry: ManifestFile, options: LoadOptions): Promise<StoredCopy | null> {
    const read = await this.cache.read(model, entry);
    if (read?.kind === 'broken') {
      await this.reportCorrupt(model, entry, read.meta, read.reason, options);
      return null;
    }
    return read;
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
    await this.cache.drop(meta);
  }
}

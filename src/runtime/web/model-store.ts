/**
 * The one place that fetches and caches model bytes in pages.
 *
 * A model is a folder (URL) with a `manifest.json` listing every file with its size and
 * sha256 (./manifest.ts). Files are downloaded with progress events, resumed and retried on
 * failures, and verified against the manifest before anything counts as stored
 * (./resumable-download.ts). Where to keep them is chosen at run time:
 *
 * - the Origin Private File System (./opfs-store.ts) where this context can write it: each
 *   file written to disk as it downloads, a broken-off download resumed from the bytes on
 *   disk, and a stored copy read back with a cheap checksum (its sha256 was checked when it
 *   was written);
 * - else IndexedDB (./chunked-cache.ts): the file stored in chunks once verified, and its
 *   sha256 checked again on every read;
 * - and where neither works, the model loads uncached and the events say why.
 *
 * Files an earlier version cached in IndexedDB are still read (sha256 checked) and moved
 * into OPFS once. A copy that fails its check is reported ('corrupt'), dropped and
 * downloaded anew.
 *
 * Where a lock is given (a Web Lock in pages), one tab downloads a model while the others
 * wait for it and then read the cache; deletes wait for it too.
 *
 * Every dependency (storage, OPFS, fetch, crypto, the StorageManager, the lock, timers) is
 * injected, so this logic runs unchanged in Node tests with in-memory fakes.
 */
import { abortedError, isBlenderError } from '../../engine/errors';
import { ChunkedCache, modelLockName, type KeyValueStorage, type ModelLock, type StorageManagerLike, type StoredFileMeta } from './chunked-cache';
import { xxh64Hex } from './file-checksum';
import {
  fetchManifest,
  manifestEntry,
  normalizeModel,
  sha256Hex,
  type ManifestBackup,
  type ManifestFile,
  type ModelFetch,
  type ModelManifest,
} from './manifest';
import type { OpfsRootSource } from './opfs-handles';
import type { OpfsPartialFile } from './opfs-partial-file';
import { OpfsStore } from './opfs-store';
import { ResumableDownloader, type DownloadEvent, type RetryPolicy } from './resumable-download';
import { StoreCatalog, type CachedModel, type StoreKind, type StoreUsage } from './store-catalog';

export type { KeyValueStorage, ModelLock, StorageManagerLike } from './chunked-cache';
export { modelLockName } from './chunked-cache';
export type { FetchInit, ManifestFile, ModelManifest } from './manifest';
export { joinUrl, sha256Hex } from './manifest';
export type { RetryPolicy } from './resumable-download';
export type { CachedFile, CachedModel, StoreKind, StoreUsage } from './store-catalog';

export type StoreEvent =
  | DownloadEvent
  | {
      stage: 'cache';
      model: string;
      file: string;
      status: 'hit' | 'stored' | 'not-cached' | 'corrupt';
      /** The store read from ('hit', 'corrupt') or written to ('stored'). */
      store?: StoreKind;
      /** Why a file was not cached, what was wrong with the stored copy, or that a stored file was moved from IndexedDB. */
      reason?: string;
    };

/** Where this store keeps new files, and why there ('none': nowhere, models load uncached). */
export interface ModelStoreChoice {
  kind: StoreKind | 'none';
  reason: string;
}

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
  /** IndexedDB's key-value storage: the fallback store, and where older caches are. */
  storage: KeyValueStorage;
  /** The OPFS root (navigator.storage.getDirectory); absent: IndexedDB only. */
  opfs?: OpfsRootSource | undefined;
  fetch: ModelFetch;
  subtle: SubtleCrypto;
  storageManager?: StorageManagerLike | undefined;
  /** Size of one stored IndexedDB chunk; 8 MiB keeps its transactions small. */
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
  store: StoreKind;
  /** Already checked against what was verified at write time (OPFS's checksum). */
  checked: boolean;
}

/** The 'not-cached' reasons that mean the origin is out of space (./opfs-io.ts, ./opfs-partial-file.ts). */
const QUOTA_REASON = /^(storage quota exceeded|not enough storage quota)/;

export class ModelStore {
  private readonly idb: ChunkedCache;
  private readonly opfs: OpfsStore | null;
  private readonly catalog: StoreCatalog;
  private readonly downloader: ResumableDownloader;
  private readonly manifests = new Map<string, Promise<ModelManifest>>();
  private choice: Promise<ModelStoreChoice> | null = null;

  constructor(private readonly deps: ModelStoreDeps) {
    this.idb = new ChunkedCache(deps.storage, { chunkBytes: deps.chunkBytes, storageManager: deps.storageManager, lock: deps.lock });
    this.opfs = deps.opfs ? new OpfsStore({ root: deps.opfs, subtle: deps.subtle, storageManager: deps.storageManager, lock: deps.lock }) : null;
    this.catalog = new StoreCatalog({ opfs: this.opfs, indexeddb: this.idb }, deps.storageManager);
    this.downloader = new ResumableDownloader({
      fetch: deps.fetch,
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  }

  /** Which store new files go to, probed once: OPFS where it can be written, else IndexedDB, else none. */
  chosenStore(): Promise<ModelStoreChoice> {
    this.choice ??= this.probe();
    return this.choice;
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
    const loading = fetchManifest(model, this.deps.fetch, this.manifestBackup, options.signal);
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
    const toMove: StoredCopy[] = [];
    const missing = await this.takeCached(model, entries, result, toMove, options);
    const { lock } = this.deps;
    if (missing.length > 0 || toMove.length > 0) {
      const work = async () => {
        await this.moveToOpfs(model, toMove, options);
        if (missing.length === 0) return;
        // Another tab may have downloaded the same files meanwhile: take what it stored.
        const stillMissing = await this.takeCached(model, missing, result, [], options);
        await this.fetchAndStore(model, stillMissing, result, options);
      };
      try {
        await (lock ? lock(modelLockName(model), work, options.signal) : work());
      } catch (error) {
        if (options.signal?.aborted) throw abortedError(options.signal, 'load');
        throw error;
      }
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
   * Bytes that come from the network, and OPFS copies (checked as they are read), are
   * verified before they are handed out.
   */
  async fileCheckedLater(model: string, path: string, options: LoadOptions = {}): Promise<PendingFile> {
    const entry = manifestEntry(await this.manifest(model, options), model, path);
    const stored = await this.readStored(model, entry, options);
    const moving = stored?.store === 'indexeddb' && (await this.chosenStore()).kind === 'opfs';
    if (!stored || moving) return { bytes: await this.file(model, path, options), verified: Promise.resolve(true) };
    return { bytes: stored.bytes, verified: this.checkStored(model, entry, stored, options) };
  }

  list(): Promise<CachedModel[]> {
    return this.catalog.list();
  }

  usage(): Promise<StoreUsage> {
    return this.catalog.usage();
  }

  async delete(model: string): Promise<void> {
    await this.catalog.deleteModel(model);
    this.manifests.delete(normalizeModel(model));
  }

  async clear(): Promise<void> {
    this.manifests.clear();
    await this.catalog.clear();
  }

  /** The manifest is kept in the chosen store; read back from either (an older cache has it in IndexedDB). */
  private readonly manifestBackup: ManifestBackup = {
    save: async (model, manifest) => {
      const kind = (await this.chosenStore()).kind;
      if (kind === 'opfs') await this.opfs!.manifests.save(model, manifest);
      else if (kind === 'indexeddb') await this.idb.manifests.save(model, manifest);
    },
    load: async (model) => {
      const fromOpfs = (await this.chosenStore()).kind === 'opfs' ? await this.opfs!.manifests.load(model).catch(() => undefined) : undefined;
      return fromOpfs ?? this.idb.manifests.load(model);
    },
  };

  private async probe(): Promise<ModelStoreChoice> {
    let opfsWhyNot = 'this browser has no Origin Private File System';
    if (this.opfs) {
      const probe = await this.opfs.probe();
      if (probe.ok) return { kind: 'opfs', reason: 'Origin Private File System' };
      opfsWhyNot = probe.reason;
    }
    try {
      await this.deps.storage.get('probe|');
      return { kind: 'indexeddb', reason: `IndexedDB (${opfsWhyNot})` };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { kind: 'none', reason: `no model cache: ${opfsWhyNot}; ${why}` };
    }
  }

  /**
   * Puts the verified stored copies of `entries` in `result`; returns the entries left.
   * IndexedDB copies that belong in OPFS now are added to `toMove`.
   */
  private async takeCached(
    model: string,
    entries: readonly ManifestFile[],
    result: Map<string, Uint8Array>,
    toMove: StoredCopy[],
    options: LoadOptions,
  ): Promise<ManifestFile[]> {
    const missing: ManifestFile[] = [];
    const opfsChosen = (await this.chosenStore()).kind === 'opfs';
    for (const entry of entries) {
      const stored = await this.readStored(model, entry, options);
      if (stored && (await this.checkStored(model, entry, stored, options))) {
        result.set(entry.path, stored.bytes);
        if (opfsChosen && stored.store === 'indexeddb') toMove.push(stored);
      } else {
        missing.push(entry);
      }
    }
    return missing;
  }

  private async fetchAndStore(model: string, entries: readonly ManifestFile[], result: Map<string, Uint8Array>, options: LoadOptions): Promise<void> {
    const overall = { loaded: 0, total: entries.reduce((sum, entry) => sum + entry.bytes, 0) };
    const chosen = await this.chosenStore();
    for (const entry of entries) {
      let bytes: Uint8Array;
      let outcome: { stored: true; store: StoreKind } | { stored: false; reason: string };
      if (chosen.kind === 'opfs') {
        const opened = await this.opfs!.openPartial(model, entry);
        bytes = await this.downloadInto(model, entry, overall, opened.opened ? opened.file : undefined, options);
        const written = opened.opened ? await opened.file.commit(await xxh64Hex(bytes)) : { stored: false as const, reason: opened.reason };
        outcome = written.stored ? { stored: true, store: 'opfs' } : written;
        // OPFS failing for another reason than quota: IndexedDB may still take it (it shares the quota).
        if (!outcome.stored && !QUOTA_REASON.test(outcome.reason)) {
          const written = await this.idb.write(model, entry, bytes);
          if (written.stored) outcome = { stored: true, store: 'indexeddb' };
        }
      } else {
        bytes = await this.downloader.download(model, entry, overall, options);
        const written = chosen.kind === 'none' ? { stored: false as const, reason: chosen.reason } : await this.idb.write(model, entry, bytes);
        outcome = written.stored ? { stored: true, store: 'indexeddb' } : written;
      }
      options.onEvent?.(
        outcome.stored
          ? { stage: 'cache', model, file: entry.path, status: 'stored', store: outcome.store }
          : { stage: 'cache', model, file: entry.path, status: 'not-cached', reason: outcome.reason },
      );
      result.set(entry.path, bytes);
    }
  }

  /** Downloads into an OPFS partial file; on failure its bytes stay for the next try, unless they were wrong. */
  private async downloadInto(
    model: string,
    entry: ManifestFile,
    overall: { loaded: number; total: number },
    target: OpfsPartialFile | undefined,
    options: LoadOptions,
  ): Promise<Uint8Array> {
    try {
      return await this.downloader.download(model, entry, overall, { ...options, target });
    } catch (error) {
      if (isBlenderError(error) && error.code === 'INTEGRITY_MISMATCH') await target?.discard();
      else target?.release();
      throw error;
    }
  }

  /** Writes IndexedDB copies (already verified) into OPFS, then drops them from IndexedDB. */
  private async moveToOpfs(model: string, copies: readonly StoredCopy[], options: LoadOptions): Promise<void> {
    for (const copy of copies) {
      const entry: ManifestFile = { path: copy.meta.path, bytes: copy.meta.bytes, sha256: copy.meta.sha256 };
      const opened = await this.opfs!.openPartial(model, entry);
      if (!opened.opened) continue; // stays in IndexedDB, still served from there
      opened.file.restart();
      opened.file.write(copy.bytes, 0);
      const written = await opened.file.commit(await xxh64Hex(copy.bytes));
      if (!written.stored) continue;
      await this.idb.drop(copy.meta);
      options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'stored', store: 'opfs', reason: 'moved from the IndexedDB cache' });
    }
  }

  /** A stored copy (OPFS first, then IndexedDB), not yet hashed; null where there is none or it is plainly broken (reported, dropped). */
  private async readStored(model: string, entry: ManifestFile, options: LoadOptions): Promise<StoredCopy | null> {
    if ((await this.chosenStore()).kind === 'opfs') {
      const read = await this.opfs!.read(model, entry);
      if (read?.kind === 'broken') {
        options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'corrupt', store: 'opfs', reason: read.reason });
        await this.opfs!.drop(model, entry).catch(() => undefined);
      } else if (read) {
        return { meta: read.meta, bytes: read.bytes, store: 'opfs', checked: true };
      }
    }
    const read = await this.idb.read(model, entry);
    if (read?.kind === 'broken') {
      await this.reportCorrupt(model, entry, read.meta, read.reason, options);
      return null;
    }
    return read && { meta: read.meta, bytes: read.bytes, store: 'indexeddb', checked: false };
  }

  /** True when a stored copy matches what was verified ('hit'); else it is reported and dropped. */
  private async checkStored(model: string, entry: ManifestFile, stored: StoredCopy, options: LoadOptions): Promise<boolean> {
    if (!stored.checked && (await sha256Hex(this.deps.subtle, stored.bytes)) !== entry.sha256) {
      await this.reportCorrupt(model, entry, stored.meta, 'stored copy fails its sha256', options);
      return false;
    }
    options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'hit', store: stored.store });
    return true;
  }

  private async reportCorrupt(model: string, entry: ManifestFile, meta: StoredFileMeta, reason: string, options: LoadOptions): Promise<void> {
    options.onEvent?.({ stage: 'cache', model, file: entry.path, status: 'corrupt', store: 'indexeddb', reason });
    await this.idb.drop(meta);
  }
}

/**
 * How model files lie in the key-value storage (IndexedDB in pages): each file in chunks (no
 * single giant value), keyed by its sha256 so a changed file is a different entry, with a
 * meta record written last so a store cut short never looks complete; plus each model's
 * last manifest, for offline use. Reads, writes, lists, measures, deletes and clears.
 *
 * Whoever downloads a model holds its lock (see {@link modelLockName}) while storing it;
 * deletes take the same lock, so they never tear a model another tab is storing.
 */
import { BlenderError, isBlenderError } from '../../engine/errors';
import { describeError, normalizeModel, type ManifestBackup, type ManifestFile, type ModelManifest } from './manifest';

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

/**
 * Runs `work` while holding the exclusive lock `name` (navigator.locks in pages). Rejects
 * without running it when `signal` fires while waiting.
 */
export type ModelLock = <T>(name: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** A model as one store holds it (store-catalog.ts merges the stores' lists). */
export interface StoredModel {
  model: string;
  files: Array<{ path: string; bytes: number; sha256: string }>;
  bytes: number;
}

/** Bytes of model files this store holds, and the origin's usage and quota as the browser reports them. */
export interface StoredBytes {
  bytes: number;
  originUsage: number | undefined;
  quota: number | undefined;
}

export interface StoredFileMeta {
  model: string;
  path: string;
  sha256: string;
  bytes: number;
  chunkKeys: string[];
}

/** A stored file as read back: its bytes (not yet hashed), or why the copy is unusable. */
export type StoredRead = { kind: 'copy'; meta: StoredFileMeta; bytes: Uint8Array } | { kind: 'broken'; meta: StoredFileMeta; reason: string };

export type WriteOutcome = { stored: true } | { stored: false; reason: string };

export interface ChunkedCacheOptions {
  /** Size of one stored chunk; 8 MiB keeps IndexedDB transactions small. */
  chunkBytes?: number;
  storageManager?: StorageManagerLike | undefined;
  /** Serializes deletes with downloads across tabs; absent: no cross-tab coordination. */
  lock?: ModelLock | undefined;
}

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const META_PREFIX = 'file|';
const CHUNK_PREFIX = 'chunk|';
const MANIFEST_PREFIX = 'manifest|';

/** The lock held while a model is downloaded and stored, or deleted: one per model per origin. */
export function modelLockName(model: string): string {
  return `llm-blender-web:model:${normalizeModel(model)}`;
}

export class ChunkedCache {
  private readonly chunkBytes: number;
  private persistRequested = false;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly options: ChunkedCacheOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  readonly manifests: ManifestBackup = {
    save: (model: string, manifest: ModelManifest) => this.storage.set(MANIFEST_PREFIX + normalizeModel(model), manifest),
    load: (model: string) => this.storage.get(MANIFEST_PREFIX + normalizeModel(model)),
  };

  /**
   * The stored copy of `entry`; null where there is none, or where the stored one is of an
   * older version of the file (dropped: it is dead weight). A broken copy (a chunk missing or
   * of the wrong size) is returned as such for the caller to report and {@link drop}.
   */
  async read(model: string, entry: ManifestFile): Promise<StoredRead | null> {
    const meta = (await this.storage.get(metaKeyOf(model, entry.path)).catch(() => undefined)) as StoredFileMeta | undefined;
    if (!meta) return null;
    if (meta.sha256 !== entry.sha256) {
      await this.drop(meta);
      return null;
    }
    const bytes = new Uint8Array(entry.bytes);
    let offset = 0;
    const chunks = await this.readChunks(meta.chunkKeys);
    for (const [index, chunk] of chunks.entries()) {
      if (!(chunk instanceof Uint8Array) || offset + chunk.byteLength > bytes.byteLength) {
        return { kind: 'broken', meta, reason: `stored chunk ${meta.chunkKeys[index]} is missing or has the wrong size` };
      }
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
      // Let the chunk go now: the file is held twice at most, not three times.
      chunks[index] = undefined;
    }
    if (offset !== entry.bytes) return { kind: 'broken', meta, reason: `stored copy has ${offset} bytes, manifest says ${entry.bytes}` };
    return { kind: 'copy', meta, bytes };
  }

  /** Stores a verified file; a failure to store is an outcome (the load goes on), never thrown. */
  async write(model: string, entry: ManifestFile, bytes: Uint8Array): Promise<WriteOutcome> {
    const { storageManager } = this.options;
    const estimate = await storageManager?.estimate().catch(() => undefined);
    if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes.byteLength) {
      return { stored: false, reason: `not enough storage quota (${estimate.quota - estimate.usage} bytes free, ${bytes.byteLength} needed)` };
    }
    if (!this.persistRequested && storageManager?.persist) {
      this.persistRequested = true;
      // Best effort: a persisted origin is not evicted under storage pressure.
      await storageManager.persist().catch(() => false);
    }

    const name = normalizeModel(model);
    const meta: StoredFileMeta = { model: name, path: entry.path, sha256: entry.sha256, bytes: entry.bytes, chunkKeys: [] };
    try {
      for (let offset = 0, index = 0; offset < bytes.byteLength || index === 0; offset += this.chunkBytes, index++) {
        const key = `${CHUNK_PREFIX}${name}|${entry.path}|${entry.sha256}|${index}`;
        // A copy, so the stored value does not pin the whole file's buffer.
        await this.storage.set(key, bytes.slice(offset, offset + this.chunkBytes));
        meta.chunkKeys.push(key);
      }
      // The meta record goes last: a store cut short never looks complete.
      await this.storage.set(metaKeyOf(model, entry.path), meta);
      return { stored: true };
    } catch (error) {
      await this.drop(meta);
      return { stored: false, reason: isQuotaError(error) ? 'storage quota exceeded' : `storage failed: ${describeError(error)}` };
    }
  }

  /** Removes one stored file, as far as storage allows (a later read finds it broken otherwise). */
  async drop(meta: StoredFileMeta): Promise<void> {
    await this.storage.del(metaKeyOf(meta.model, meta.path)).catch(() => undefined);
    for (const key of meta.chunkKeys) await this.storage.del(key).catch(() => undefined);
  }

  async list(): Promise<StoredModel[]> {
    const models = new Map<string, StoredModel>();
    for (const meta of await this.allMeta()) {
      const model = models.get(meta.model) ?? { model: meta.model, files: [], bytes: 0 };
      model.files.push({ path: meta.path, bytes: meta.bytes, sha256: meta.sha256 });
      model.bytes += meta.bytes;
      models.set(meta.model, model);
    }
    return [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
  }

  async usage(): Promise<StoredBytes> {
    const bytes = (await this.allMeta()).reduce((sum, meta) => sum + meta.bytes, 0);
    const estimate = await this.options.storageManager?.estimate().catch(() => undefined);
    return { bytes, originUsage: estimate?.usage, quota: estimate?.quota };
  }

  /** Deletes a model's files and manifest, once no one is downloading it. */
  async deleteModel(model: string): Promise<void> {
    const name = normalizeModel(model);
    await this.underLock(name, async () => {
      for (const meta of await this.allMeta()) {
        if (meta.model === name) await this.drop(meta);
      }
      await this.guard('delete', () => this.storage.del(MANIFEST_PREFIX + name));
    });
  }

  /**
   * Deletes every model, each under its lock, then whatever the store's keys are left: chunks
   * of stores cut short (a tab closed while storing). A download that starts meanwhile may
   * lose chunks to that sweep; its meta record then names missing chunks, which a read
   * reports as broken, so a torn copy is never served.
   */
  async clear(): Promise<void> {
    const models = await this.guard('clear', async () => {
      const names = new Set((await this.allMeta()).map((meta) => meta.model));
      for (const key of await this.storage.keys()) {
        if (key.startsWith(MANIFEST_PREFIX)) names.add(key.slice(MANIFEST_PREFIX.length));
      }
      return names;
    });
    for (const model of models) await this.deleteModel(model);
    await this.guard('clear', async () => {
      for (const key of await this.storage.keys()) {
        if (key.startsWith(META_PREFIX) || key.startsWith(CHUNK_PREFIX) || key.startsWith(MANIFEST_PREFIX)) await this.storage.del(key);
      }
    });
  }

  private underLock<T>(model: string, work: () => Promise<T>): Promise<T> {
    const { lock } = this.options;
    return lock ? lock(modelLockName(model), work) : work();
  }

  /** A cache operation whose storage failure is the caller's answer, named as such. */
  private async guard<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isBlenderError(error)) throw error;
      throw new BlenderError('STORAGE_UNAVAILABLE', `the model cache cannot ${what}: ${describeError(error)}`, undefined, { cause: error });
    }
  }

  /** A file's stored chunks, undefined where one cannot be read (the caller drops the copy). */
  private async readChunks(keys: string[]): Promise<unknown[]> {
    const { storage } = this;
    if (storage.getMany) {
      const many = await storage.getMany(keys).catch(() => null);
      if (many) return many;
    }
    return Promise.all(keys.map((key) => storage.get(key).catch(() => undefined)));
  }

  private async allMeta(): Promise<StoredFileMeta[]> {
    return this.guard('list', async () => {
      const metas: StoredFileMeta[] = [];
      for (const key of await this.storage.keys()) {
        if (!key.startsWith(META_PREFIX)) continue;
        const meta = (await this.storage.get(key)) as StoredFileMeta | undefined;
        if (meta) metas.push(meta);
      }
      return metas;
    });
  }
}

function metaKeyOf(model: string, path: string): string {
  return `${META_PREFIX}${normalizeModel(model)}|${path}`;
}

function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

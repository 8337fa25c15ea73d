/**
 * The models cached by this origin across both stores: OPFS (where new files go when the
 * browser has it) and IndexedDB (the fallback, and where earlier versions cached models).
 * `cache.list/usage/delete/clear` in the worker and in the page's thread (openModelCache)
 * go through here, so nothing in either store is missed or left behind.
 */
import { BlenderError, isBlenderError } from '../../engine/errors';
import type { ChunkedCache, StorageManagerLike } from './chunked-cache';
import type { OpfsStore } from './opfs-store';

export type StoreKind = 'opfs' | 'indexeddb';

export interface CachedFile {
  path: string;
  bytes: number;
  sha256: string;
  /** Which store holds it. */
  store: StoreKind;
}

export interface CachedModel {
  /** The model folder's absolute URL. */
  model: string;
  files: CachedFile[];
  bytes: number;
}

export interface StoreUsage {
  /** Bytes of model files cached, in all. */
  bytes: number;
  /** The same bytes per store. */
  byStore: Record<StoreKind, number>;
  /** The origin's usage and quota as the browser reports them (undefined where unknown). */
  originUsage: number | undefined;
  quota: number | undefined;
}

export class StoreCatalog {
  constructor(
    private readonly stores: { opfs: OpfsStore | null; indexeddb: ChunkedCache },
    private readonly storageManager: StorageManagerLike | undefined,
  ) {}

  async list(): Promise<CachedModel[]> {
    const lists = await this.each('list', (store) => store.list());
    const models = new Map<string, CachedModel>();
    for (const [kind, stored] of lists) {
      for (const model of stored) {
        const merged = models.get(model.model) ?? { model: model.model, files: [], bytes: 0 };
        merged.files.push(...model.files.map((file) => ({ ...file, store: kind })));
        merged.bytes += model.bytes;
        models.set(model.model, merged);
      }
    }
    return [...models.values()];
  }

  async usage(): Promise<StoreUsage> {
    const byStore: Record<StoreKind, number> = { opfs: 0, indexeddb: 0 };
    for (const model of await this.list()) for (const file of model.files) byStore[file.store] += file.bytes;
    const estimate = await this.storageManager?.estimate().catch(() => undefined);
    return { bytes: byStore.opfs + byStore.indexeddb, byStore, originUsage: estimate?.usage, quota: estimate?.quota };
  }

  async deleteModel(model: string): Promise<void> {
    await this.each('delete', (store) => store.deleteModel(model));
  }

  async clear(): Promise<void> {
    await this.each('clear', (store) => store.clear());
  }

  /**
   * Runs `operation` on every store there is. A store that is unavailable here (no OPFS,
   * IndexedDB blocked) is skipped; only when none works is the failure the answer.
   */
  private async each<T>(what: string, operation: (store: OpfsStore | ChunkedCache) => Promise<T>): Promise<Array<[StoreKind, T]>> {
    const { opfs, indexeddb } = this.stores;
    const present: Array<[StoreKind, OpfsStore | ChunkedCache]> = opfs
      ? [
          ['opfs', opfs],
          ['indexeddb', indexeddb],
        ]
      : [['indexeddb', indexeddb]];
    const results: Array<[StoreKind, T]> = [];
    const failures: unknown[] = [];
    for (const [kind, store] of present) {
      try {
        results.push([kind, await operation(store)]);
      } catch (error) {
        failures.push(error);
      }
    }
    if (results.length === 0) {
      const first = failures[0];
      if (isBlenderError(first)) throw first;
      throw new BlenderError('STORAGE_UNAVAILABLE', `the model cache cannot ${what}`, undefined, { cause: first });
    }
    return results;
  }
}

/**
 * The model cache on its own, for pages: lists, measures and deletes the models that the
 * blenders of this origin stored (in the Origin Private File System, or in IndexedDB where
 * OPFS is missing or older versions stored them), from the page's thread, without creating
 * a blender or a worker (a settings page, a "free up space" button).
 */
import { BlenderError } from '../engine/errors';
import { choiceMemory } from '../runtime/web/choice-memory';
import { ChunkedCache, type KeyValueStorage, type ModelLock, type StorageManagerLike } from '../runtime/web/chunked-cache';
import { indexedDbStorage } from '../runtime/web/idb-storage';
import { opfsRootOf, type OpfsRootSource } from '../runtime/web/opfs-handles';
import { OpfsStore } from '../runtime/web/opfs-store';
import { StoreCatalog, type CachedModel, type StoreUsage } from '../runtime/web/store-catalog';
import { resolveModelUrl } from './create-options';

/** The model cache (OPFS and IndexedDB), shared by every blender of this origin. */
export interface ModelCache {
  list(): Promise<CachedModel[]>;
  delete(model: string): Promise<void>;
  clear(): Promise<void>;
  usage(): Promise<StoreUsage>;
}

export interface ModelCacheDeps {
  storage: KeyValueStorage;
  /** The OPFS root; absent where the browser has none. */
  opfs?: OpfsRootSource | undefined;
  /** Hashes model URLs into OPFS directory names (as the worker's store does). */
  subtle?: SubtleCrypto | undefined;
  storageManager?: StorageManagerLike | undefined;
  /** The per-model lock the blenders' workers take while downloading (navigator.locks). */
  lock?: ModelLock | undefined;
  /** What a relative model URL is resolved against (the page's URL). */
  baseUrl: string | undefined;
}

/**
 * The model cache every blender of this origin shares, opened in the page's own thread: no
 * blender or worker is created. `delete(model)` waits while another tab or worker is
 * downloading that model, so it never leaves half a model behind; `clear()` does the same
 * for each model. Both stores are covered; where neither can be opened (private browsing,
 * storage blocked), every method rejects with `STORAGE_UNAVAILABLE`.
 */
export function openModelCache(): ModelCache {
  return modelCacheOver({
    // The database the blender's worker stores models in (workers/blender.worker.ts).
    storage: indexedDbStorage('llm-blender-web', 'models'),
    opfs: opfsRootOf(globalThis.navigator?.storage),
    subtle: globalThis.crypto?.subtle,
    storageManager: globalThis.navigator?.storage,
    lock: webModelLock(),
    baseUrl: globalThis.location?.href,
  });
}

/** The model cache over injected storage, lock and base URL (Node tests use fakes). */
export function modelCacheOver(deps: ModelCacheDeps): ModelCache {
  const indexeddb = new ChunkedCache(deps.storage, { storageManager: deps.storageManager, lock: deps.lock });
  const opfs = deps.opfs && deps.subtle ? new OpfsStore({ root: deps.opfs, subtle: deps.subtle, storageManager: deps.storageManager, lock: deps.lock }) : null;
  const cache = new StoreCatalog({ opfs, indexeddb }, deps.storageManager);
  // What `auto` remembered about a model (self-check failures) goes with it.
  const memory = choiceMemory(deps.storage);
  return {
    list: () => cache.list(),
    usage: () => cache.usage(),
    delete: async (model) => {
      const url = modelUrlArgument(model, deps.baseUrl);
      await cache.deleteModel(url);
      await memory.forget(url);
    },
    clear: async () => {
      await cache.clear();
      await memory.forget();
    },
  };
}

/**
 * `cache.delete`'s argument as the absolute folder URL the cache knows the model by: the
 * blender resolves model URLs the same way (resolveModelUrl) before its worker stores them.
 */
export function modelUrlArgument(model: unknown, baseUrl: string | undefined): string {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new BlenderError('INVALID_ARGUMENT', 'cache.delete takes a model folder URL (a non-empty string)', 'model');
  }
  try {
    return resolveModelUrl(model, baseUrl);
  } catch (error) {
    throw new BlenderError('INVALID_ARGUMENT', `cache.delete takes a model folder URL; '${model}' is not one here`, 'model', { cause: error });
  }
}

/** navigator.locks as the model store's lock; undefined where the browser has none. */
function webModelLock(): ModelLock | undefined {
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  return locks ? (name, work, signal) => locks.request(name, signal ? { signal } : {}, work) : undefined;
}

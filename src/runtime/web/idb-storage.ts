/**
 * The model store's storage in pages: one IndexedDB object store through idb-keyval, opened
 * on first use. Where IndexedDB cannot be opened (private browsing in some browsers, storage
 * blocked by policy, `indexedDB` missing) every operation rejects with one clear error, so
 * the store loads models uncached and says why, instead of the worker failing as it starts.
 */
import { del, get, getMany, keys, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { KeyValueStorage } from './chunked-cache';

export function indexedDbStorage(dbName: string, storeName: string): KeyValueStorage {
  let store: UseStore | null = null;
  const use = (): UseStore => (store ??= openStore(dbName, storeName));
  return {
    get: (key) => get(key, use()),
    getMany: (keys) => getMany(keys, use()),
    set: (key, value) => set(key, value, use()),
    del: (key) => del(key, use()),
    keys: async () => (await keys(use())).map(String),
  };
}

/** idb-keyval's createStore, with a failure to open named as such (createStore throws or hangs). */
function openStore(dbName: string, storeName: string): UseStore {
  let opening: Promise<IDBDatabase>;
  try {
    if (typeof indexedDB === 'undefined') throw new Error('this context has no indexedDB');
    const request = indexedDB.open(dbName);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    opening = promisifyRequest(request);
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- wrapped by storageUnavailable(error) just below
    opening = Promise.reject(error);
  }
  const db = opening.catch((error: unknown) => {
    throw storageUnavailable(error);
  });
  db.catch(() => undefined); // reported by each operation, not as an unhandled rejection
  return (mode, callback) => db.then((opened) => callback(opened.transaction(storeName, mode).objectStore(storeName)));
}

function storageUnavailable(cause: unknown): Error {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const error = new Error(`IndexedDB is unavailable (private browsing, or storage blocked): ${detail}`, { cause });
  error.name = 'StorageUnavailableError';
  return error;
}

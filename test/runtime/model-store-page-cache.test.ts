// The model cache a page opens on its own (src/client/model-cache.ts), over the storage a
// blender's ModelStore writes: listing, measuring, deleting, clearing, argument checks, and
// deletes that wait for a download of the same model in another tab.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modelCacheOver, modelUrlArgument } from '../../src/client/model-cache';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore, type ModelLock } from '../../src/runtime/web/model-store';
import { bytesOf, fakeLocks, fakeModelServer, memoryStorage, MODEL, unavailableStorage } from '../hardening/fake-model-server';

const WEIGHTS = 'onnx/model.onnx';
const weights = bytesOf(50_000, 7);
const tokenizer = bytesOf(1_234, 3);
const FILES = [WEIGHTS, 'tokenizer.json'];

/** A tab's store (a blender's worker) and a page's cache over one origin's storage. */
function setup(lock?: ModelLock) {
  const server = fakeModelServer({ [WEIGHTS]: weights, 'tokenizer.json': tokenizer });
  const storage = memoryStorage();
  // The weights' response waits for `releaseWeights()` once `holdWeights()` was called.
  let hold: Promise<void> | null = null;
  let release = () => {};
  let weightsAsked = () => {};
  const asked = new Promise<void>((resolve) => (weightsAsked = resolve));
  const store = new ModelStore({
    storage,
    fetch: async (url, init) => {
      if (url.endsWith(WEIGHTS)) {
        weightsAsked();
        await hold;
      }
      return server.fetch(url, init);
    },
    subtle: webcrypto.subtle as SubtleCrypto,
    chunkBytes: 16_384,
    lock,
  });
  const cache = modelCacheOver({ storage, lock, baseUrl: 'https://models.example/app/index.html' });
  return {
    server,
    storage,
    store,
    cache,
    holdWeights: () => {
      hold = new Promise<void>((resolve) => (release = resolve));
    },
    releaseWeights: () => release(),
    weightsAsked: asked,
    storedKeys: () => [...storage.map.keys()].filter((key) => /^(file|chunk|manifest)\|/.test(key)),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; argument: string | undefined } | 'resolved'> {
  return promise.then(
    () => 'resolved' as const,
    (error: unknown) => (isBlenderError(error) ? { code: error.code, argument: error.argument } : { code: String(error), argument: undefined }),
  );
}

describe('the page model cache', () => {
  it('lists and measures what a blender stored, deletes it, and the model downloads again', async () => {
    const { server, storage, store, cache, storedKeys } = setup();
    await store.files(MODEL, FILES);
    const [listed, ...others] = await cache.list();
    expect(others).toEqual([]);
    expect(listed!.model).toBe(MODEL);
    expect(listed!.files.map((file) => file.path).sort()).toEqual([...FILES].sort());
    expect(listed!.bytes).toBe(weights.length + tokenizer.length);
    expect((await cache.usage()).bytes).toBe(weights.length + tokenizer.length);

    // Written with a trailing slash, as a page may: the same model.
    await cache.delete(`${MODEL}/`);
    expect(await cache.list()).toEqual([]);
    expect((await cache.usage()).bytes).toBe(0);
    expect(storedKeys()).toEqual([]);

    // A fresh store (a new blender) finds nothing and downloads the files again.
    const again = new ModelStore({ storage, fetch: server.fetch, subtle: webcrypto.subtle as SubtleCrypto });
    await again.files(MODEL, FILES);
    expect(server.fileRequests(WEIGHTS)).toHaveLength(2);
  });

  it('resolves a relative model URL against the page, as createBlender does', async () => {
    const { store, cache } = setup();
    await store.files(MODEL, FILES);
    await cache.delete('../tiny');
    expect(await cache.list()).toEqual([]);
  });

  it('refuses a model that is not a non-empty string with INVALID_ARGUMENT, and deletes nothing', async () => {
    const { store, cache } = setup();
    await store.files(MODEL, FILES);
    for (const model of [42, '', '   ', null, undefined]) {
      expect(await codeOf(cache.delete(model as string))).toEqual({ code: 'INVALID_ARGUMENT', argument: 'model' });
    }
    expect(await cache.list()).toHaveLength(1);
  });

  it('refuses a relative URL where there is no page to resolve it against', () => {
    expect(() => modelUrlArgument('models/tiny', undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'model' }));
    expect(modelUrlArgument('https://models.example/tiny//', undefined)).toBe(MODEL);
  });

  it('a delete waits for another tab downloading the model, then removes all of it', async () => {
    const locks = fakeLocks();
    const { store, cache, holdWeights, releaseWeights, weightsAsked, storedKeys } = setup(locks.lock);
    holdWeights();
    const order: string[] = [];
    const loading = store.files(MODEL, FILES).then(() => order.push('loaded'));
    await weightsAsked; // the download holds the model's lock now
    const deleting = cache.delete(MODEL).then(() => order.push('deleted'));
    // Let every promise that does not wait for the lock settle: the delete must not.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    releaseWeights();
    await Promise.all([loading, deleting]);
    expect(order).toEqual(['loaded', 'deleted']);
    expect(await cache.list()).toEqual([]);
    expect(storedKeys()).toEqual([]);
  });

  it('clear waits for a download too, and also removes chunks a store cut short left behind', async () => {
    const locks = fakeLocks();
    const { store, storage, cache, holdWeights, releaseWeights, weightsAsked, storedKeys } = setup(locks.lock);
    storage.map.set('chunk|https://models.example/gone|onnx/model.onnx|abc|0', new Uint8Array(8));
    storage.map.set('unrelated', 'kept');
    holdWeights();
    const order: string[] = [];
    const loading = store.files(MODEL, FILES).then(() => order.push('loaded'));
    await weightsAsked;
    const clearing = cache.clear().then(() => order.push('cleared'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    releaseWeights();
    await Promise.all([loading, clearing]);
    expect(order).toEqual(['loaded', 'cleared']);
    expect(storedKeys()).toEqual([]);
    expect(storage.map.get('unrelated')).toBe('kept');
  });

  it('every method rejects with STORAGE_UNAVAILABLE where IndexedDB is unavailable', async () => {
    const cache = modelCacheOver({ storage: unavailableStorage(), baseUrl: undefined, lock: fakeLocks().lock });
    for (const call of [() => cache.list(), () => cache.usage(), () => cache.delete(MODEL), () => cache.clear()]) {
      expect(await codeOf(call())).toEqual({ code: 'STORAGE_UNAVAILABLE', argument: undefined });
    }
  });
});

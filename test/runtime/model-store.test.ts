import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore, type StoreEvent } from '../../src/runtime/web/model-store';
import { bytesOf, memoryStorage, MODEL, sha256 } from '../hardening/fake-model-server';

/** A server with a model folder; records every request and can be told to misbehave. */
function fakeServer(files: Record<string, Uint8Array>) {
  const requests: string[] = [];
  const served = { ...files };
  const manifest = {
    files: Object.entries(files).map(([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: sha256(bytes) })),
  };
  let offline = false;
  const fetch = async (url: string, init?: { signal?: AbortSignal }) => {
    requests.push(url);
    init?.signal?.throwIfAborted();
    if (offline) throw new TypeError('Failed to fetch');
    const path = url.slice(MODEL.length + 1);
    if (path === 'manifest.json') return Response.json(manifest);
    const body = served[path];
    if (!body) return new Response('not found', { status: 404 });
    // Two network chunks per file, so progress has something to report.
    const half = Math.ceil(body.byteLength / 2);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.slice(0, half));
        controller.enqueue(body.slice(half));
        controller.close();
      },
    });
    return new Response(stream);
  };
  return {
    fetch,
    requests,
    manifest,
    served,
    goOffline: () => (offline = true),
  };
}

const weights = bytesOf(50_000, 7);
const tokenizer = bytesOf(1_234, 3);

function setup(options: { chunkBytes?: number } = {}) {
  const server = fakeServer({ 'onnx/model.onnx': weights, 'tokenizer.json': tokenizer });
  const storage = memoryStorage();
  const store = new ModelStore({
    storage,
    fetch: server.fetch,
    subtle: webcrypto.subtle as SubtleCrypto,
    chunkBytes: options.chunkBytes ?? 16_384,
    // A short body is retried with backoff; these tests need the outcome, not the wait.
    sleep: async () => {},
  });
  return { server, storage, store };
}

describe('ModelStore', () => {
  it('downloads, verifies and stores on the first load; the second load fetches no model file', async () => {
    const { server, storage, store } = setup();
    const events: StoreEvent[] = [];
    const first = await store.files(MODEL, ['onnx/model.onnx', 'tokenizer.json'], { onEvent: (e) => events.push(e) });
    expect(sha256(first.get('onnx/model.onnx')!)).toBe(sha256(weights));
    expect(sha256(first.get('tokenizer.json')!)).toBe(sha256(tokenizer));

    const downloads = events.filter((e) => e.stage === 'download');
    const last = downloads.at(-1)!;
    expect(last).toMatchObject({ overallLoaded: weights.length + tokenizer.length, overallTotal: weights.length + tokenizer.length });
    expect(events.filter((e) => e.stage === 'cache' && e.status === 'stored')).toHaveLength(2);

    // A new store, as after a page reload, over the same storage.
    server.requests.length = 0;
    const reloaded = new ModelStore({ storage, fetch: server.fetch, subtle: webcrypto.subtle as SubtleCrypto });
    const again: StoreEvent[] = [];
    const second = await reloaded.files(MODEL, ['onnx/model.onnx', 'tokenizer.json'], { onEvent: (e) => again.push(e) });
    expect(server.requests).toEqual([`${MODEL}/manifest.json`]);
    expect(sha256(second.get('onnx/model.onnx')!)).toBe(sha256(weights));
    expect(again.every((e) => e.stage === 'cache' && e.status === 'hit')).toBe(true);
  });

  it('stores big files in chunks no larger than the chunk size', async () => {
    const { storage, store } = setup({ chunkBytes: 10_000 });
    await store.file(MODEL, 'onnx/model.onnx');
    const chunks = [...storage.map.entries()].filter(([key]) => key.startsWith('chunk|') && key.includes('model.onnx'));
    expect(chunks).toHaveLength(5);
    expect(chunks.every(([, value]) => (value as Uint8Array).byteLength <= 10_000)).toBe(true);
  });

  it("reads a file's chunks in one getMany where the storage has it, and still detects a bad chunk", async () => {
    const { server, storage, store } = setup({ chunkBytes: 10_000 });
    await store.file(MODEL, 'onnx/model.onnx');
    const batches: string[][] = [];
    const batched = {
      ...storage,
      get: async (key: string) => (key.startsWith('chunk|') ? expect.fail('chunks are read in one batch') : storage.get(key)),
      getMany: async (keys: string[]) => (batches.push(keys), keys.map((key) => storage.map.get(key))),
    };
    const warm = new ModelStore({ storage: batched, fetch: server.fetch, subtle: webcrypto.subtle as SubtleCrypto });
    server.requests.length = 0;
    expect(sha256(await warm.file(MODEL, 'onnx/model.onnx'))).toBe(sha256(weights));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(5);
    expect(server.requests).toEqual([`${MODEL}/manifest.json`]);

    storage.map.set(batches[0]![2]!, new Uint8Array(10));
    const events: StoreEvent[] = [];
    const cold = new ModelStore({ storage: batched, fetch: server.fetch, subtle: webcrypto.subtle as SubtleCrypto });
    expect(sha256(await cold.file(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) }))).toBe(sha256(weights));
    expect(events).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'corrupt' }));
  });

  it('detects a corrupted stored chunk, re-downloads that file only, and works', async () => {
    const { server, storage, store } = setup();
    await store.files(MODEL, ['onnx/model.onnx', 'tokenizer.json']);
    const [key, chunk] = [...storage.map.entries()].find(([k]) => k.startsWith('chunk|') && k.includes('model.onnx'))!;
    const corrupted = (chunk as Uint8Array).slice();
    corrupted[10] = corrupted[10]! ^ 0xff;
    storage.map.set(key, corrupted);

    server.requests.length = 0;
    const events: StoreEvent[] = [];
    const files = await store.files(MODEL, ['onnx/model.onnx', 'tokenizer.json'], { onEvent: (e) => events.push(e) });
    expect(sha256(files.get('onnx/model.onnx')!)).toBe(sha256(weights));
    expect(server.requests).toEqual([`${MODEL}/onnx/model.onnx`]);
    expect(events).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'corrupt', file: 'onnx/model.onnx' }));

    // And the repaired copy is served from the cache next time.
    server.requests.length = 0;
    await store.file(MODEL, 'onnx/model.onnx');
    expect(server.requests).toEqual([]);
  });

  describe('fileCheckedLater (bytes handed out while their sha256 is checked)', () => {
    /** A store over `storage` whose WebCrypto digest waits until `release()`. */
    function heldHashStore(storage: ReturnType<typeof memoryStorage>, server: ReturnType<typeof fakeServer>) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let digests = 0;
      const subtle = {
        digest: async (algorithm: string, data: Uint8Array) => {
          digests++;
          const copy = data.slice(); // as WebCrypto does: later changes to `data` do not count
          await gate;
          return webcrypto.subtle.digest(algorithm, copy);
        },
      } as unknown as SubtleCrypto;
      const store = new ModelStore({ storage, fetch: server.fetch, subtle, chunkBytes: 16_384, sleep: async () => {} });
      return { store, release, digests: () => digests };
    }

    it('hands out a good stored copy at once, starts its hash before returning, and reports the hit when it matched', async () => {
      const { server, storage, store } = setup();
      await store.file(MODEL, 'onnx/model.onnx');
      const held = heldHashStore(storage, server);
      server.requests.length = 0;
      const events: StoreEvent[] = [];
      const pending = await held.store.fileCheckedLater(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) });
      expect(sha256(pending.bytes)).toBe(sha256(weights));
      expect(held.digests()).toBe(1);
      expect(events).toEqual([]); // not a hit until the hash says so
      held.release();
      expect(await pending.verified).toBe(true);
      expect(events).toEqual([expect.objectContaining({ stage: 'cache', status: 'hit', file: 'onnx/model.onnx' })]);
      expect(server.requests).toEqual([`${MODEL}/manifest.json`]);
    });

    it('says false for a stored copy that fails its sha256, drops it, and the next file() downloads a good one', async () => {
      const { server, storage, store } = setup();
      await store.file(MODEL, 'onnx/model.onnx');
      const [key, chunk] = [...storage.map.entries()].find(([k]) => k.startsWith('chunk|') && k.includes('model.onnx'))!;
      const corrupted = (chunk as Uint8Array).slice();
      corrupted[10] = corrupted[10]! ^ 0xff;
      storage.map.set(key, corrupted);

      const events: StoreEvent[] = [];
      const pending = await store.fileCheckedLater(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) });
      expect(await pending.verified).toBe(false);
      expect(events).toEqual([expect.objectContaining({ stage: 'cache', status: 'corrupt', file: 'onnx/model.onnx', reason: 'stored copy fails its sha256' })]);
      // Nothing of the bad copy is left behind.
      expect([...storage.map.keys()].filter((k) => k.includes('model.onnx'))).toEqual([]);

      server.requests.length = 0;
      expect(sha256(await store.file(MODEL, 'onnx/model.onnx'))).toBe(sha256(weights));
      expect(server.requests).toEqual([`${MODEL}/onnx/model.onnx`]);
    });

    it('downloads (verified before it is handed out) what is not cached or plainly broken', async () => {
      const { server, storage, store } = setup({ chunkBytes: 10_000 });
      const fresh = await store.fileCheckedLater(MODEL, 'onnx/model.onnx');
      expect(sha256(fresh.bytes)).toBe(sha256(weights));
      expect(await fresh.verified).toBe(true);

      const chunkKey = [...storage.map.keys()].find((k) => k.startsWith('chunk|') && k.includes('model.onnx'))!;
      storage.map.delete(chunkKey);
      server.requests.length = 0;
      const events: StoreEvent[] = [];
      const repaired = await store.fileCheckedLater(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) });
      expect(sha256(repaired.bytes)).toBe(sha256(weights));
      expect(await repaired.verified).toBe(true);
      expect(events).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'corrupt' }));
      expect(server.requests).toEqual([`${MODEL}/onnx/model.onnx`]);

      server.served['onnx/model.onnx'] = bytesOf(weights.length, 99);
      await store.delete(MODEL);
      const error = await store.fileCheckedLater(MODEL, 'onnx/model.onnx').catch((e: unknown) => e);
      expect(isBlenderError(error) && error.code).toBe('INTEGRITY_MISMATCH');
    });
  });

  it('refuses a file whose sha256 differs from the manifest and stores nothing', async () => {
    const { server, storage, store } = setup();
    server.served['onnx/model.onnx'] = bytesOf(weights.length, 99);
    const error = await store.file(MODEL, 'onnx/model.onnx').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('INTEGRITY_MISMATCH');
    expect([...storage.map.keys()].filter((k) => k.startsWith('chunk|') || k.startsWith('file|'))).toEqual([]);
  });

  it('refuses a truncated download', async () => {
    const { server, store } = setup();
    server.served['onnx/model.onnx'] = weights.slice(0, 1000);
    const error = await store.file(MODEL, 'onnx/model.onnx').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('INTEGRITY_MISMATCH');
  });

  it('still loads when storing fails for quota, and says the file was not cached', async () => {
    const { server, storage, store } = setup();
    storage.set = async (key) => {
      if (key.startsWith('chunk|')) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    };
    const events: StoreEvent[] = [];
    const bytes = await store.file(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) });
    expect(sha256(bytes)).toBe(sha256(weights));
    expect(events).toContainEqual(expect.objectContaining({ status: 'not-cached', reason: 'storage quota exceeded' }));
    expect(server.requests).toContain(`${MODEL}/onnx/model.onnx`);
  });

  it('skips storing when the estimate says it will not fit', async () => {
    const server = fakeServer({ 'onnx/model.onnx': weights });
    const storage = memoryStorage();
    const store = new ModelStore({
      storage,
      fetch: server.fetch,
      subtle: webcrypto.subtle as SubtleCrypto,
      storageManager: { estimate: async () => ({ usage: 990, quota: 1000 }) },
    });
    const events: StoreEvent[] = [];
    await store.file(MODEL, 'onnx/model.onnx', { onEvent: (e) => events.push(e) });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
    expect(events).toContainEqual(expect.objectContaining({ status: 'not-cached', reason: expect.stringMatching(/quota/) }));
    expect([...storage.map.keys()].some((k) => k.startsWith('chunk|'))).toBe(false);
  });

  it('serves a cached model offline from the stored manifest', async () => {
    const { server, storage, store } = setup();
    await store.file(MODEL, 'tokenizer.json');
    server.goOffline();
    const reloaded = new ModelStore({ storage, fetch: server.fetch, subtle: webcrypto.subtle as SubtleCrypto });
    expect(sha256(await reloaded.file(MODEL, 'tokenizer.json'))).toBe(sha256(tokenizer));
  });

  it('rejects an aborted load with ABORTED and stays usable', async () => {
    const { store } = setup();
    const controller = new AbortController();
    controller.abort();
    const error = await store.file(MODEL, 'onnx/model.onnx', { signal: controller.signal }).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('ABORTED');
    expect(sha256(await store.file(MODEL, 'onnx/model.onnx'))).toBe(sha256(weights));
  });

  it('names a file missing from the manifest', async () => {
    const { store } = setup();
    const error = await store.file(MODEL, 'onnx/model_q4.onnx').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('MODEL_INVALID');
    expect((error as Error).message).toContain('model_q4.onnx');
  });

  it('lists, measures, deletes and clears cached models', async () => {
    const { store } = setup();
    await store.files(MODEL, ['onnx/model.onnx', 'tokenizer.json']);
    const list = await store.list();
    expect(list).toEqual([expect.objectContaining({ model: MODEL, bytes: weights.length + tokenizer.length })]);
    expect((await store.usage()).bytes).toBe(weights.length + tokenizer.length);
    await store.delete(MODEL);
    expect(await store.list()).toEqual([]);
    await store.file(MODEL, 'tokenizer.json');
    await store.clear();
    expect((await store.usage()).bytes).toBe(0);
  });
});

// The model store under network and storage faults: downloads that break off and resume with
// Range, retries with exponential backoff, servers without Range support, two loaders of the
// same model at once, storage that is unavailable, and manifests that do not match the bytes.
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore, type KeyValueStorage, type ModelStoreDeps, type StoreEvent } from '../../src/runtime/web/model-store';
import { bytesOf, fakeLocks, fakeModelServer, memoryStorage, MODEL, sha256, unavailableStorage } from './fake-model-server';

const WEIGHTS = 'onnx/model.onnx';
const weights = bytesOf(50_000, 7);
const tokenizer = bytesOf(1_234, 3);

function setup(deps: Partial<ModelStoreDeps> & { ranges?: boolean } = {}) {
  const server = fakeModelServer({ [WEIGHTS]: weights, 'tokenizer.json': tokenizer }, { ranges: deps.ranges ?? true });
  const storage = deps.storage ?? memoryStorage();
  const delays: number[] = [];
  const store = new ModelStore({
    storage,
    fetch: server.fetch,
    subtle: webcrypto.subtle as SubtleCrypto,
    chunkBytes: 16_384,
    // Backoff is recorded, not waited for: the tests check the schedule, not the clock.
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      delays.push(ms);
    },
    ...deps,
  });
  const events: StoreEvent[] = [];
  return { server, storage, store, delays, events, onEvent: (event: StoreEvent) => events.push(event) };
}

const storedKeys = (storage: KeyValueStorage & { map?: Map<string, unknown> }) =>
  [...(storage.map?.keys() ?? [])].filter((key) => key.startsWith('chunk|') || key.startsWith('file|'));

describe('network failure mid-download', () => {
  it('resumes with a Range request from the last byte received and stores a verified copy', async () => {
    const { server, store, storage, delays, events, onEvent } = setup();
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 20_000 });
    const bytes = await store.file(MODEL, WEIGHTS, { onEvent });
    expect(sha256(bytes)).toBe(sha256(weights));
    expect(server.fileRequests(WEIGHTS)).toEqual([
      { path: WEIGHTS, range: undefined },
      { path: WEIGHTS, range: 'bytes=20000-' },
    ]);
    expect(delays).toEqual([500]);
    expect(events).toContainEqual(expect.objectContaining({ stage: 'retry', attempt: 1, resumeFrom: 20_000, delayMs: 500 }));
    // Progress never goes backwards and ends at the file's size.
    const loaded = events.flatMap((e) => (e.stage === 'download' ? [e.loaded] : []));
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(weights.length);
    expect(storedKeys(storage)).toContainEqual(expect.stringMatching(/^file\|.*model\.onnx$/));
  });

  it('a body that ends early without an error is resumed the same way', async () => {
    const { server, store } = setup();
    server.fail(WEIGHTS, { kind: 'end-after', bytes: 12_288 });
    expect(sha256(await store.file(MODEL, WEIGHTS))).toBe(sha256(weights));
    expect(server.fileRequests(WEIGHTS).map((r) => r.range)).toEqual([undefined, 'bytes=12288-']);
  });

  it('backs off exponentially over repeated failures, resuming each time', async () => {
    const { server, store, delays } = setup();
    server.fail(WEIGHTS, { kind: 'network-error' }, { kind: 'status', status: 503 }, { kind: 'break-after', bytes: 10_000 });
    expect(sha256(await store.file(MODEL, WEIGHTS))).toBe(sha256(weights));
    expect(delays).toEqual([500, 1000, 2000]);
    expect(server.fileRequests(WEIGHTS).map((r) => r.range)).toEqual([undefined, undefined, undefined, 'bytes=10000-']);
  });

  it('gives up after the last attempt with DOWNLOAD_FAILED and stores nothing', async () => {
    const { server, store, storage, delays } = setup({ retry: { attempts: 3 } });
    server.fail(WEIGHTS, { kind: 'network-error' }, { kind: 'network-error' }, { kind: 'network-error' });
    const error = await store.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('DOWNLOAD_FAILED');
    expect((error as Error).message).toMatch(/3 attempts/);
    expect(delays).toEqual([500, 1000]);
    expect(storedKeys(storage)).toEqual([]);
    // The store is not stuck: the next load works.
    expect(sha256(await store.file(MODEL, WEIGHTS))).toBe(sha256(weights));
  });

  it('caps the backoff at maxDelayMs', async () => {
    const { server, store, delays } = setup({ retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 3000 } });
    server.fail(WEIGHTS, ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 502 })));
    await store.file(MODEL, WEIGHTS);
    expect(delays).toEqual([1000, 2000, 3000, 3000]);
  });

  it('does not retry a 404: the file is not there', async () => {
    const { server, store, delays } = setup();
    server.fail(WEIGHTS, { kind: 'status', status: 404 });
    const error = await store.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('DOWNLOAD_FAILED');
    expect(delays).toEqual([]);
    expect(server.fileRequests(WEIGHTS)).toHaveLength(1);
  });

  it('starts over when the server ignores Range and sends the whole file again', async () => {
    const { server, store, events, onEvent } = setup({ ranges: false });
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 30_000 });
    expect(sha256(await store.file(MODEL, WEIGHTS, { onEvent }))).toBe(sha256(weights));
    expect(server.fileRequests(WEIGHTS).map((r) => r.range)).toEqual([undefined, 'bytes=30000-']);
    const last = events.filter((e) => e.stage === 'download').at(-1);
    expect(last).toMatchObject({ loaded: weights.length, overallLoaded: weights.length });
  });

  it('an abort during the backoff wait rejects with ABORTED and stores nothing', async () => {
    const controller = new AbortController();
    const { server, store, storage } = setup({
      sleep: async () => {
        controller.abort();
        controller.signal.throwIfAborted();
      },
    });
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 8_000 });
    const error = await store.file(MODEL, WEIGHTS, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('ABORTED');
    expect(storedKeys(storage)).toEqual([]);
    expect(sha256(await store.file(MODEL, WEIGHTS))).toBe(sha256(weights));
  });
});

describe('two loaders of the same model at once', () => {
  it('download each file once under the lock; the second reads what the first stored', async () => {
    const storage = memoryStorage();
    const locks = fakeLocks();
    const tabA = setup({ storage, lock: locks.lock });
    // Tab B: its own store over the same storage and server, as a second tab of the origin.
    const tabB = new ModelStore({ storage, fetch: tabA.server.fetch, subtle: webcrypto.subtle as SubtleCrypto, lock: locks.lock });
    const eventsB: StoreEvent[] = [];
    const [a, b] = await Promise.all([
      tabA.store.files(MODEL, [WEIGHTS, 'tokenizer.json']),
      tabB.files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent: (e) => eventsB.push(e) }),
    ]);
    expect(sha256(a.get(WEIGHTS)!)).toBe(sha256(weights));
    expect(sha256(b.get(WEIGHTS)!)).toBe(sha256(weights));
    expect(sha256(b.get('tokenizer.json')!)).toBe(sha256(tokenizer));
    expect(tabA.server.fileRequests(WEIGHTS)).toHaveLength(1);
    expect(tabA.server.fileRequests('tokenizer.json')).toHaveLength(1);
    expect(eventsB).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'hit', file: WEIGHTS }));
    expect(locks.grants()).toBe(2);
  });

  it('a loader aborted while waiting for the lock rejects with ABORTED; the other finishes', async () => {
    const storage = memoryStorage();
    const locks = fakeLocks();
    const tabA = setup({ storage, lock: locks.lock });
    const tabB = new ModelStore({ storage, fetch: tabA.server.fetch, subtle: webcrypto.subtle as SubtleCrypto, lock: locks.lock });
    const controller = new AbortController();
    const first = tabA.store.file(MODEL, WEIGHTS);
    const second = tabB.file(MODEL, WEIGHTS, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(sha256(await first)).toBe(sha256(weights));
    const error = await second;
    expect(isBlenderError(error) && error.code).toBe('ABORTED');
  });
});

describe('storage that is unavailable (private mode)', () => {
  it('loads from the network, uncached, and says why for every file', async () => {
    const { server, store, events, onEvent } = setup({ storage: unavailableStorage() });
    const files = await store.files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent });
    expect(sha256(files.get(WEIGHTS)!)).toBe(sha256(weights));
    const notCached = events.filter((e) => e.stage === 'cache' && e.status === 'not-cached');
    expect(notCached.map((e) => e.file).sort()).toEqual([WEIGHTS, 'tokenizer.json'].sort());
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
    for (const event of notCached) expect(event).toMatchObject({ reason: expect.stringMatching(/private browsing/) });
    // Every load downloads again: nothing could be kept.
    await store.file(MODEL, WEIGHTS);
    expect(server.fileRequests(WEIGHTS)).toHaveLength(2);
  });

  it('cache methods reject with STORAGE_UNAVAILABLE instead of a bare DOMException', async () => {
    const { store } = setup({ storage: unavailableStorage() });
    for (const call of [() => store.list(), () => store.usage(), () => store.delete(MODEL), () => store.clear()]) {
      const error = await call().catch((e: unknown) => e);
      expect(isBlenderError(error) && error.code).toBe('STORAGE_UNAVAILABLE');
    }
  });
});

describe('a model checked against its manifest', () => {
  // Each kind of mismatch between what the manifest says and what the server sends.
  const mismatches = [
    { kind: 'the file is larger than listed', serve: () => new Uint8Array([...weights, 1, 2, 3]), code: 'INTEGRITY_MISMATCH', message: /larger than/ },
    // Asked for the rest, the server answers 416: it has no more.
    { kind: 'the file is smaller than listed', serve: () => weights.slice(0, 40_000), code: 'INTEGRITY_MISMATCH', message: /40000 bytes/ },
    { kind: 'the sha256 differs', serve: () => bytesOf(weights.length, 8), code: 'INTEGRITY_MISMATCH', message: /sha256/ },
  ] as const;

  it.each(mismatches)('$kind: refused with $code, nothing stored', async ({ serve, code, message }) => {
    const { server, store, storage } = setup();
    server.served[WEIGHTS] = serve();
    const error = await store.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`${MODEL}/${WEIGHTS}`);
    expect(storedKeys(storage)).toEqual([]);
  });

  it('a file missing from the manifest is refused with MODEL_INVALID naming it, and never fetched', async () => {
    const { server, store } = setup();
    server.manifest.files = server.manifest.files.filter((file) => file.path !== 'tokenizer.json');
    const error = await store.file(MODEL, 'tokenizer.json').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('MODEL_INVALID');
    expect((error as Error).message).toContain('tokenizer.json');
    expect(server.fileRequests('tokenizer.json')).toEqual([]);
  });

  it('a manifest that is not one is refused with MODEL_INVALID', async () => {
    const { server, store } = setup();
    server.manifest.files = [{ path: WEIGHTS, bytes: -1, sha256: 'not a digest' }];
    const error = await store.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('MODEL_INVALID');
  });
});

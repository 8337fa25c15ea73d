// The model store over the Origin Private File System (an in-memory fake with OPFS's
// semantics): files written as they download and marked complete only once their sha256
// matched, warm loads checked by the record's checksum, damaged copies re-downloaded, broken
// downloads resumed from the bytes on disk, quota failures leaving nothing that reads as
// complete, the IndexedDB fallback, and caches of earlier versions moved over from IndexedDB.
import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modelCacheOver } from '../../src/client/model-cache';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore, type KeyValueStorage, type ModelStoreDeps, type StoreEvent } from '../../src/runtime/web/model-store';
import { bytesOf, fakeLocks, fakeModelServer, memoryStorage, MODEL, sha256, unavailableStorage } from '../hardening/fake-model-server';
import { fakeOpfs, type FakeOpfs } from './fake-opfs';

const WEIGHTS = 'onnx/model.onnx';
const weights = bytesOf(50_000, 7);
const tokenizer = bytesOf(1_234, 3);
const subtle = webcrypto.subtle as SubtleCrypto;
/** Bytes compared by their sha256: vitest's deep equality walks a typed array element by element (slow). */
const digest = (bytes: Uint8Array | undefined) => (bytes ? sha256(bytes) : 'missing');

function setup(deps: Partial<ModelStoreDeps> & { opfsFake?: FakeOpfs; ranges?: boolean } = {}) {
  const server = fakeModelServer({ [WEIGHTS]: weights, 'tokenizer.json': tokenizer }, { ranges: deps.ranges ?? true });
  const opfs = deps.opfsFake ?? fakeOpfs();
  const storage = deps.storage ?? memoryStorage();
  const make = (extra: Partial<ModelStoreDeps> = {}) =>
    new ModelStore({ storage, opfs: opfs.root, fetch: server.fetch, subtle, sleep: async () => {}, ...deps, ...extra });
  const events: StoreEvent[] = [];
  return { server, opfs, storage, store: make(), make, events, onEvent: (event: StoreEvent) => events.push(event) };
}

/** The model's OPFS files, by name (directory names are hashes). */
function storedNames(opfs: FakeOpfs): string[] {
  return [...opfs.files().keys()]
    .map((path) => path.split('/').slice(2).join('/'))
    .filter(Boolean)
    .sort();
}

const dataName = (path: string, bytes: Uint8Array) => `${encodeURIComponent(path)}~${sha256(bytes)}`;

function opfsPathOf(opfs: FakeOpfs, name: string): string {
  const path = [...opfs.files().keys()].find((key) => key.endsWith(`/${name}`));
  if (!path) throw new Error(`no stored ${name}`);
  return path;
}

const idbKeys = (storage: KeyValueStorage & { map?: Map<string, unknown> }) =>
  [...(storage.map?.keys() ?? [])].filter((key) => key.startsWith('chunk|') || key.startsWith('file|'));

describe('OPFS model store', () => {
  it('stores each file in OPFS with a record written after the sha256 matched; a reload reads it back without fetching', async () => {
    const { server, opfs, storage, store, make, events, onEvent } = setup();
    expect(await store.chosenStore()).toEqual({ kind: 'opfs', reason: 'Origin Private File System' });
    const first = await store.files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent });
    expect(sha256(first.get(WEIGHTS)!)).toBe(sha256(weights));
    expect(events.filter((e) => e.stage === 'cache')).toEqual([
      expect.objectContaining({ status: 'stored', store: 'opfs', file: WEIGHTS }),
      expect.objectContaining({ status: 'stored', store: 'opfs', file: 'tokenizer.json' }),
    ]);
    const weightsName = dataName(WEIGHTS, weights);
    expect(storedNames(opfs)).toEqual(
      [
        weightsName,
        `${weightsName}.done`,
        dataName('tokenizer.json', tokenizer),
        `${dataName('tokenizer.json', tokenizer)}.done`,
        'manifest.json',
        'model.json',
      ].sort(),
    );
    expect(digest(opfs.files().get(opfsPathOf(opfs, weightsName)))).toBe(digest(weights));
    const record = JSON.parse(new TextDecoder().decode(opfs.files().get(opfsPathOf(opfs, `${weightsName}.done`)))) as Record<string, unknown>;
    expect(record).toMatchObject({ path: WEIGHTS, bytes: weights.length, sha256: sha256(weights) });
    expect(record['xxh64']).toMatch(/^[0-9a-f]{16}$/);
    expect(idbKeys(storage)).toEqual([]);

    server.requests.length = 0;
    const again: StoreEvent[] = [];
    const second = await make().files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent: (e) => again.push(e) });
    expect(server.requests.map((r) => r.path)).toEqual(['manifest.json']);
    expect(digest(second.get(WEIGHTS))).toBe(digest(weights));
    expect(again).toEqual([
      expect.objectContaining({ stage: 'cache', status: 'hit', store: 'opfs', file: WEIGHTS }),
      expect.objectContaining({ stage: 'cache', status: 'hit', store: 'opfs', file: 'tokenizer.json' }),
    ]);
    // Offline: the manifest kept in OPFS is enough.
    const offline = make({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    expect((await offline.file(MODEL, 'tokenizer.json')).length).toBe(tokenizer.length);
  });

  it('a stored file with one byte flipped fails its checksum: reported, and only it is downloaded again', async () => {
    const { server, opfs, store, make, events, onEvent } = setup();
    await store.files(MODEL, [WEIGHTS, 'tokenizer.json']);
    const path = opfsPathOf(opfs, dataName(WEIGHTS, weights));
    const damaged = opfs.files().get(path)!;
    damaged[25_000]! ^= 0x01;
    opfs.setFile(path, damaged);

    server.requests.length = 0;
    const files = await make().files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent });
    expect(digest(files.get(WEIGHTS))).toBe(digest(weights));
    expect(events).toContainEqual(expect.objectContaining({ status: 'corrupt', store: 'opfs', file: WEIGHTS, reason: 'stored file fails its checksum' }));
    expect(events).toContainEqual(expect.objectContaining({ status: 'hit', file: 'tokenizer.json' }));
    expect(server.requests.map((r) => r.path)).toEqual(['manifest.json', WEIGHTS]);
    expect(digest(opfs.files().get(path))).toBe(digest(weights));
  });

  it('a stored file of the wrong length is reported without being hashed, and replaced', async () => {
    const { opfs, store, make, events, onEvent } = setup();
    await store.file(MODEL, WEIGHTS);
    const path = opfsPathOf(opfs, dataName(WEIGHTS, weights));
    opfs.setFile(path, weights.subarray(0, 10_000));
    expect(digest(await make().file(MODEL, WEIGHTS, { onEvent }))).toBe(digest(weights));
    expect(events).toContainEqual(expect.objectContaining({ status: 'corrupt', reason: `stored file has 10000 bytes, manifest says ${weights.length}` }));
  });

  it('a download broken off halfway leaves its bytes on disk, not a stored copy; the next load resumes there with a Range request', async () => {
    const { server, opfs, make } = setup();
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 25_000 });
    const broken = make({ retry: { attempts: 1 } });
    const error: unknown = await broken.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('DOWNLOAD_FAILED');
    const name = dataName(WEIGHTS, weights);
    expect(storedNames(opfs)).not.toContain(`${name}.done`);
    expect(digest(opfs.files().get(opfsPathOf(opfs, name)))).toBe(digest(weights.subarray(0, 25_000)));
    expect((await broken.list()).flatMap((model) => model.files)).toEqual([]);

    // As after a reload: a new store, the same disk.
    server.requests.length = 0;
    const events: StoreEvent[] = [];
    const bytes = await make().file(MODEL, WEIGHTS, { onEvent: (e) => events.push(e) });
    expect(digest(bytes)).toBe(digest(weights));
    expect(server.fileRequests(WEIGHTS)).toEqual([{ path: WEIGHTS, range: 'bytes=25000-' }]);
    const progress = events.flatMap((e) => (e.stage === 'download' ? [e.loaded] : []));
    expect(progress[0]).toBe(25_000);
    expect(progress.at(-1)).toBe(weights.length);
    expect(events).toContainEqual(expect.objectContaining({ status: 'stored', store: 'opfs' }));
  });

  it('bytes on disk that are wrong (a torn write) fail the sha256 once; the file is then fetched whole and stored', async () => {
    const { server, opfs, make } = setup();
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 25_000 });
    await make({ retry: { attempts: 1 } })
      .file(MODEL, WEIGHTS)
      .catch(() => undefined);
    const path = opfsPathOf(opfs, dataName(WEIGHTS, weights));
    const torn = opfs.files().get(path)!;
    torn[100]! ^= 0xff;
    opfs.setFile(path, torn);

    server.requests.length = 0;
    expect(digest(await make().file(MODEL, WEIGHTS))).toBe(digest(weights));
    expect(server.fileRequests(WEIGHTS)).toEqual([
      { path: WEIGHTS, range: 'bytes=25000-' },
      { path: WEIGHTS, range: undefined },
    ]);
    expect(digest(opfs.files().get(path))).toBe(digest(weights));
  });

  it('a server without Range support sends the whole file again: the partial file starts over and ends right', async () => {
    const { server, opfs, make } = setup({ ranges: false });
    server.fail(WEIGHTS, { kind: 'break-after', bytes: 30_000 });
    await make({ retry: { attempts: 1 } })
      .file(MODEL, WEIGHTS)
      .catch(() => undefined);
    expect(digest(await make().file(MODEL, WEIGHTS))).toBe(digest(weights));
    expect(digest(opfs.files().get(opfsPathOf(opfs, dataName(WEIGHTS, weights))))).toBe(digest(weights));
  });

  it('a server sending wrong bytes: INTEGRITY_MISMATCH and nothing of the file left on disk', async () => {
    const { server, opfs, store } = setup();
    const wrong = weights.slice();
    wrong[49_999]! ^= 0xff;
    server.served[WEIGHTS] = wrong;
    const error: unknown = await store.file(MODEL, WEIGHTS).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('INTEGRITY_MISMATCH');
    expect(storedNames(opfs).filter((name) => name.startsWith(encodeURIComponent(WEIGHTS)))).toEqual([]);
  });

  it('quota exhausted mid-write: the model loads uncached, no half file is left, and the next load downloads it again', async () => {
    const opfs = fakeOpfs();
    const { server, store, make, events, onEvent } = setup({ opfsFake: opfs });
    await store.manifest(MODEL);
    opfs.quota = 20_000 + [...opfs.files().values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
    const bytes = await store.file(MODEL, WEIGHTS, { onEvent });
    expect(digest(bytes)).toBe(digest(weights));
    expect(events).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'not-cached', file: WEIGHTS, reason: 'storage quota exceeded' }));
    expect(storedNames(opfs).filter((name) => name.startsWith(encodeURIComponent(WEIGHTS)))).toEqual([]);

    opfs.quota = Number.POSITIVE_INFINITY;
    server.requests.length = 0;
    expect(digest(await make().file(MODEL, WEIGHTS))).toBe(digest(weights));
    expect(server.fileRequests(WEIGHTS)).toEqual([{ path: WEIGHTS, range: undefined }]);
  });

  it('an estimate short of the file refuses to start writing it: not cached, and says how much is free', async () => {
    const { store, opfs, events, onEvent } = setup({ storageManager: { estimate: async () => ({ usage: 990_000, quota: 1_000_000 }) } });
    expect(digest(await store.file(MODEL, WEIGHTS, { onEvent }))).toBe(digest(weights));
    expect(events).toContainEqual(
      expect.objectContaining({ status: 'not-cached', reason: `not enough storage quota (10000 bytes free, ${weights.length} needed)` }),
    );
    expect(storedNames(opfs).filter((name) => name.startsWith(encodeURIComponent(WEIGHTS)))).toEqual([]);
  });

  it('asks the browser once to persist the origin before the first file is written', async () => {
    let persisted = 0;
    const { store, make } = setup({ storageManager: { estimate: async () => ({}), persist: async () => (persisted++, true) } });
    await store.files(MODEL, [WEIGHTS, 'tokenizer.json']);
    expect(persisted).toBe(1);
    // A warm load writes nothing and asks nothing.
    await make({ storageManager: { estimate: async () => ({}), persist: async () => (persisted++, true) } }).files(MODEL, [WEIGHTS, 'tokenizer.json']);
    expect(persisted).toBe(1);
  });

  it('OPFS failing mid-download for another reason than quota: the verified file goes to IndexedDB instead', async () => {
    const { opfs, storage, store, make, events, onEvent } = setup();
    await store.chosenStore();
    opfs.failWrites = (name) => name.includes('~') && !name.endsWith('.done');
    expect(digest(await store.file(MODEL, WEIGHTS, { onEvent }))).toBe(digest(weights));
    expect(events).toContainEqual(expect.objectContaining({ stage: 'cache', status: 'stored', store: 'indexeddb', file: WEIGHTS }));
    expect(storedNames(opfs).filter((name) => name.startsWith(encodeURIComponent(WEIGHTS)))).toEqual([]);
    expect(idbKeys(storage).some((key) => key.includes(WEIGHTS))).toBe(true);
    opfs.failWrites = null;
    // Served from IndexedDB next time, and moved into OPFS then.
    const again: StoreEvent[] = [];
    await make().file(MODEL, WEIGHTS, { onEvent: (e) => again.push(e) });
    expect(again.map((e) => (e.stage === 'cache' ? `${e.status}:${e.store}` : e.stage))).toEqual(['hit:indexeddb', 'stored:opfs']);
  });

  it('where OPFS fails, IndexedDB is chosen and says why; where neither works, models load uncached', async () => {
    const { store, storage } = setup({ opfs: async () => Promise.reject(new DOMException('Security error when calling GetDirectory', 'SecurityError')) });
    const choice = await store.chosenStore();
    expect(choice.kind).toBe('indexeddb');
    expect(choice.reason).toContain('Security error when calling GetDirectory');
    await store.file(MODEL, WEIGHTS);
    expect(idbKeys(storage).length).toBeGreaterThan(0);

    // No sync access handles (not a worker): not usable for downloads either.
    const noSync = setup({ opfsFake: fakeOpfs({ syncHandles: false }) });
    expect((await noSync.store.chosenStore()).kind).toBe('indexeddb');

    const none = setup({ storage: unavailableStorage(), opfs: async () => Promise.reject(new DOMException('no', 'SecurityError')) });
    expect((await none.store.chosenStore()).kind).toBe('none');
    expect(digest(await none.store.file(MODEL, WEIGHTS, { onEvent: none.onEvent }))).toBe(digest(weights));
    expect(none.events).toContainEqual(expect.objectContaining({ status: 'not-cached', reason: expect.stringMatching(/^no model cache: /) as unknown }));
  });

  it('a model an earlier version cached in IndexedDB is served from there (no download) and moved into OPFS once', async () => {
    const storage = memoryStorage();
    const opfs = fakeOpfs();
    const { server, make } = setup({ storage, opfsFake: opfs });
    await make({ opfs: undefined }).files(MODEL, [WEIGHTS, 'tokenizer.json']);
    expect(idbKeys(storage).length).toBeGreaterThan(0);

    server.requests.length = 0;
    const events: StoreEvent[] = [];
    const files = await make().files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent: (e) => events.push(e) });
    expect(digest(files.get(WEIGHTS))).toBe(digest(weights));
    expect(server.requests.map((r) => r.path)).toEqual(['manifest.json']);
    expect(events.filter((e) => e.stage === 'cache')).toEqual([
      expect.objectContaining({ status: 'hit', store: 'indexeddb', file: WEIGHTS }),
      expect.objectContaining({ status: 'hit', store: 'indexeddb', file: 'tokenizer.json' }),
      expect.objectContaining({ status: 'stored', store: 'opfs', file: WEIGHTS, reason: 'moved from the IndexedDB cache' }),
      expect.objectContaining({ status: 'stored', store: 'opfs', file: 'tokenizer.json', reason: 'moved from the IndexedDB cache' }),
    ]);
    expect(idbKeys(storage)).toEqual([]);

    const third: StoreEvent[] = [];
    await make().files(MODEL, [WEIGHTS, 'tokenizer.json'], { onEvent: (e) => third.push(e) });
    expect(third.map((e) => (e.stage === 'cache' ? `${e.status}:${e.store}` : e.stage))).toEqual(['hit:opfs', 'hit:opfs']);
  });

  it('fileCheckedLater hands out an OPFS copy already verified, and an IndexedDB copy to be moved only once checked', async () => {
    const storage = memoryStorage();
    const { make } = setup({ storage });
    await make({ opfs: undefined }).file(MODEL, WEIGHTS);
    const moving = await make().fileCheckedLater(MODEL, WEIGHTS);
    expect(digest(moving.bytes)).toBe(digest(weights));
    expect(await moving.verified).toBe(true);
    expect(idbKeys(storage)).toEqual([]);
    const stored = await make().fileCheckedLater(MODEL, WEIGHTS);
    expect(digest(stored.bytes)).toBe(digest(weights));
    expect(await stored.verified).toBe(true);
  });

  it('a changed file replaces its older version on disk', async () => {
    const { server, opfs, store, make } = setup();
    await store.file(MODEL, WEIGHTS);
    const changed = bytesOf(40_000, 9);
    server.served[WEIGHTS] = changed;
    server.manifest.files.find((file) => file.path === WEIGHTS)!.sha256 = createHash('sha256').update(changed).digest('hex');
    server.manifest.files.find((file) => file.path === WEIGHTS)!.bytes = changed.length;
    expect(digest(await make().file(MODEL, WEIGHTS))).toBe(digest(changed));
    expect(storedNames(opfs).filter((name) => name.startsWith(encodeURIComponent(WEIGHTS)))).toEqual([
      dataName(WEIGHTS, changed),
      `${dataName(WEIGHTS, changed)}.done`,
    ]);
  });

  it('list, usage, delete and clear cover both stores, from the worker and from the page (no sync handles there)', async () => {
    const storage = memoryStorage();
    const opfs = fakeOpfs();
    const { make } = setup({ storage, opfsFake: opfs });
    const OTHER = `${MODEL}-old`;
    const otherServer = fakeModelServer({ [WEIGHTS]: weights });
    await make().files(MODEL, [WEIGHTS, 'tokenizer.json']);
    await new ModelStore({ storage, fetch: async (url, init) => otherServer.fetch(url.replace(OTHER, MODEL), init), subtle }).file(OTHER, WEIGHTS);

    const { lock } = fakeLocks();
    const page = modelCacheOver({ storage, opfs: opfs.pageRoot, subtle, lock, baseUrl: undefined });
    for (const cache of [make(), page]) {
      const listed = await cache.list();
      expect(listed.map((model) => model.model).sort()).toEqual([MODEL, OTHER]);
      expect(listed.find((model) => model.model === MODEL)!.files.map((file) => `${file.path}@${file.store}`)).toEqual([
        `${WEIGHTS}@opfs`,
        'tokenizer.json@opfs',
      ]);
      expect(listed.find((model) => model.model === OTHER)!.files.map((file) => `${file.path}@${file.store}`)).toEqual([`${WEIGHTS}@indexeddb`]);
      const usage = await cache.usage();
      expect(usage.byStore).toEqual({ opfs: weights.length + tokenizer.length, indexeddb: weights.length });
      expect(usage.bytes).toBe(2 * weights.length + tokenizer.length);
    }
    await page.delete(`${MODEL}/`);
    expect((await make().list()).map((model) => model.model)).toEqual([OTHER]);
    expect(storedNames(opfs)).toEqual([]);
    await make().file(MODEL, WEIGHTS);
    await page.clear();
    expect(await make().list()).toEqual([]);
    expect(opfs.files().size).toBe(0);
    expect(idbKeys(storage)).toEqual([]);
  });

  it('two loaders of one model under the lock: one downloads, the other reads its stored copy', async () => {
    const { server, make } = setup();
    const { lock } = fakeLocks();
    const tabs = [make({ lock }), make({ lock })];
    // Both probe OPFS at once: neither may take the other's probe for a failure.
    expect((await Promise.all(tabs.map((tab) => tab.chosenStore()))).map((choice) => choice.kind)).toEqual(['opfs', 'opfs']);
    const [a, b] = await Promise.all(tabs.map((tab) => tab.file(MODEL, WEIGHTS)));
    expect(digest(a)).toBe(digest(weights));
    expect(digest(b)).toBe(digest(weights));
    expect(server.fileRequests(WEIGHTS)).toHaveLength(1);
  });
});

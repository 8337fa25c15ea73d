// Storage and network faults in Chromium, injected with route interception and code run in
// the worker before its own: manifests that do not match the files, a server sending wrong
// bytes, a download that breaks off, a truncated stored file, quota exceeded, no storage at
// all (private mode), and two tabs loading one model. The store is OPFS here (Chromium has
// it); model-cache.spec.ts covers the clean path and a flipped byte in a stored file,
// opfs-store.spec.ts the IndexedDB fallback and resuming from disk.
//
// The steps share one page (each model load compiles ORT's wasm in a new worker, seconds
// of CPU): each sets up its fault, loads, and leaves the cache as the next step expects.
import { expect, test, type Page } from '@playwright/test';
import { modelFileRequests, openHardening, prependToWorker, RANKER, serveWithRanges } from './fixtures/hardening/helpers';

const WEIGHTS_FILE = 'onnx/model_quantized.onnx'; // WASM's dtype
const WEIGHTS = `${RANKER}/${WEIGHTS_FILE}`;

test.describe.configure({ mode: 'serial' });

let page: Page;
/** JavaScript run in each new worker before its own code. */
let prelude = '';
/** What the server does with requests for the weights. */
let weights: 'serve' | 'flip-a-byte' | 'break-off-once' = 'serve';
const weightRanges: Array<string | undefined> = [];
const requests: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await prependToWorker(page, () => prelude);
  await serveWithRanges(page, `**${WEIGHTS}`, weightRanges, (body) => {
    if (weights === 'flip-a-byte') {
      body[body.length >> 1]! ^= 0xff; // same size, one byte off
    } else if (weights === 'break-off-once') {
      weights = 'serve';
      // The connection drops a third of the way in.
      return { status: 200, body: body.subarray(0, Math.floor(body.length / 3)) };
    }
    return undefined;
  });
  await openHardening(page);
});
test.afterAll(() => page.close());

/** Loads the ranker, ranks, and returns what it saw; errors come back as data. */
function loadAndRank() {
  return page.evaluate(async (model) => {
    const events: Array<{ stage: string; status?: string; file?: string; reason?: string }> = [];
    try {
      const blender = await window.hardening.api.createBlender({
        ranker: model,
        device: 'wasm',
        onProgress: (event) => {
          if (event.stage === 'cache') events.push({ stage: event.stage, file: event.file, status: event.status, reason: event.reason });
          if (event.stage === 'retry') events.push({ stage: event.stage, file: event.file, reason: event.reason });
        },
      });
      const scores = await blender.rank(['question'], [['an answer', 'another answer', 'a third']], { returnScores: true });
      const cache = await blender.cache.list().then(
        (list) => ({ models: list.length, code: undefined as string | undefined }),
        (error: { code: string }) => ({ models: -1, code: error.code }),
      );
      await blender.dispose();
      return { scores, events, cache, error: undefined };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      return { scores: undefined, events, cache: undefined, error: { code, message } };
    }
  }, RANKER);
}

/** Model files in either store: IndexedDB's chunk and file keys, OPFS's files and records (not its manifests). */
const storedModelKeys = () =>
  page.evaluate(async () => [
    ...(await window.hardening.storedKeys()).filter((key) => key.startsWith('chunk|') || key.startsWith('file|')),
    ...(await window.hardening.opfsFiles()).map((file) => file.name).filter((name) => name.includes('~')),
  ]);

/** Serves the manifest with `edit` applied, for the next load only. */
async function editManifestOnce(edit: (manifest: { files: Array<{ path: string; bytes: number; sha256: string }> }) => void) {
  await page.route(
    `**${RANKER}/manifest.json`,
    async (route) => {
      const manifest = (await (await route.fetch()).json()) as Parameters<typeof edit>[0];
      edit(manifest);
      await route.fulfill({ json: manifest });
    },
    { times: 1 },
  );
}

let scores: number[][] | undefined;

test('the manifest is checked: a wrong size, a wrong sha256, a file missing from it each refuse the load', async () => {
  const kinds = [
    { kind: 'wrong size', edit: (file: { bytes: number }) => (file.bytes += 1), code: 'INTEGRITY_MISMATCH', message: /bytes, its manifest lists/ },
    { kind: 'wrong sha256', edit: (file: { sha256: string }) => (file.sha256 = '0'.repeat(64)), code: 'INTEGRITY_MISMATCH', message: /sha256/ },
  ];
  for (const { kind, edit, code, message } of kinds) {
    await editManifestOnce((manifest) => edit(manifest.files.find((file) => file.path === WEIGHTS_FILE)!));
    const result = await loadAndRank();
    expect(result.error?.code, kind).toBe(code);
    expect(result.error?.message, kind).toMatch(message);
    expect(result.error?.message, kind).toContain(WEIGHTS_FILE);
  }
  await editManifestOnce((manifest) => (manifest.files = manifest.files.filter((file) => file.path !== 'tokenizer.json')));
  const missing = await loadAndRank();
  expect(missing.error?.code).toBe('MODEL_INVALID');
  expect(missing.error?.message).toContain('tokenizer.json');
  expect((await storedModelKeys()).filter((key) => key.includes(WEIGHTS_FILE))).toEqual([]);
});

test('a server sending other bytes than the manifest lists: INTEGRITY_MISMATCH, nothing stored', async () => {
  weights = 'flip-a-byte';
  const result = await loadAndRank();
  weights = 'serve';
  expect(result.error?.code).toBe('INTEGRITY_MISMATCH');
  expect(result.error?.message).toContain(WEIGHTS_FILE);
  expect((await storedModelKeys()).filter((key) => key.includes(WEIGHTS_FILE))).toEqual([]);
});

test('a download that breaks off resumes with a Range request, and the file is stored', async () => {
  weights = 'break-off-once';
  weightRanges.length = 0;
  const result = await loadAndRank();
  expect(result.error).toBeUndefined();
  expect(result.events).toContainEqual(expect.objectContaining({ stage: 'retry', file: WEIGHTS_FILE }));
  expect(weightRanges).toEqual([undefined, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
  expect(result.events).toContainEqual(expect.objectContaining({ status: 'stored', file: WEIGHTS_FILE }));
  scores = result.scores;
});

test('a truncated stored file is never served: detected, downloaded again, same scores', async () => {
  await page.evaluate((file) => window.hardening.truncateOpfsFile(file), WEIGHTS_FILE);
  requests.length = 0;
  const result = await loadAndRank();
  expect(result.events).toContainEqual(expect.objectContaining({ status: 'corrupt', file: WEIGHTS_FILE }));
  expect(result.events).toContainEqual(expect.objectContaining({ status: 'stored', file: WEIGHTS_FILE }));
  expect(modelFileRequests(requests, RANKER)).toEqual([WEIGHTS]);
  expect(result.scores).toEqual(scores);
  expect(await page.evaluate(() => window.hardening.unsoundStoredFiles())).toEqual([]);
  expect(await page.evaluate(() => window.hardening.unsoundOpfsFiles())).toEqual([]);
});

test('quota exceeded while storing: the model loads, uncached, and says so', async () => {
  await page.evaluate(() => window.hardening.clearCache());
  // The disk fills up mid-file: a model file's first 4 KiB land, the write past them fails
  // (OPFS; the weights are larger, small files fit); every chunk write fails (IndexedDB, were it used).
  prelude = `const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (String(key).startsWith('chunk|')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
    const names = new WeakMap();
    const create = FileSystemFileHandle.prototype.createSyncAccessHandle;
    FileSystemFileHandle.prototype.createSyncAccessHandle = async function (...args) {
      const handle = await create.apply(this, args);
      names.set(handle, this.name);
      return handle;
    };
    const write = FileSystemSyncAccessHandle.prototype.write;
    FileSystemSyncAccessHandle.prototype.write = function (buffer, options) {
      const name = names.get(this) ?? '';
      const at = options?.at ?? 0;
      if (name.includes('~') && !name.endsWith('.done') && at + buffer.byteLength > 4096) {
        if (at < 4096) write.call(this, buffer.subarray(0, 4096 - at), options);
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return write.call(this, buffer, options);
    };`;
  const result = await loadAndRank();
  prelude = '';
  expect(result.error).toBeUndefined();
  expect(result.scores).toEqual(scores);
  expect(result.events).toContainEqual(expect.objectContaining({ status: 'not-cached', file: WEIGHTS_FILE, reason: 'storage quota exceeded' }));
  // Nothing of the weights is left, and whatever small file fit in one write is whole.
  expect((await storedModelKeys()).filter((key) => key.includes(WEIGHTS_FILE))).toEqual([]);
  expect(await page.evaluate(() => window.hardening.unsoundOpfsFiles())).toEqual([]);
  await page.evaluate(() => window.hardening.clearCache());
});

test('no storage at all (private mode: neither OPFS nor IndexedDB): the model loads from the network, uncached, with a clear reason', async () => {
  prelude = `indexedDB.open = () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); };
    StorageManager.prototype.getDirectory = () => Promise.reject(new DOMException('Security error when calling GetDirectory', 'SecurityError'));`;
  const result = await loadAndRank();
  prelude = '';
  expect(result.error).toBeUndefined();
  expect(result.scores).toEqual(scores);
  const notCached = result.events.filter((event) => event.status === 'not-cached');
  expect(notCached.length).toBeGreaterThan(0);
  for (const event of notCached) expect(event.reason).toMatch(/^no model cache: the Origin Private File System is unavailable: .*IndexedDB is unavailable/);
  expect(result.cache).toEqual({ models: -1, code: 'STORAGE_UNAVAILABLE' });
});

test('two tabs loading the same model at once: each file downloads once, both work', async ({ browser }) => {
  const context = await browser.newContext();
  const fetched: string[] = [];
  context.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  const tabs = [await context.newPage(), await context.newPage()];
  await Promise.all(tabs.map(openHardening));
  const [a, b] = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(async (model) => {
        const hits: string[] = [];
        const blender = await window.hardening.api.createBlender({
          ranker: model,
          device: 'wasm',
          onProgress: (event) => {
            if (event.stage === 'cache' && event.status === 'hit') hits.push(`${event.file}@${event.store}`);
          },
        });
        const result = await blender.rank(['question'], [['an answer', 'another answer', 'a third']], { returnScores: true });
        await blender.dispose();
        return { result, hits };
      }, RANKER),
    ),
  );
  await context.close();
  expect(b!.result).toEqual(a!.result);
  const files = modelFileRequests(fetched, RANKER);
  expect(files).toContain(WEIGHTS);
  expect(files.length).toBe(new Set(files).size);
  // Whichever tab waited read the other's files from the cache.
  expect([...a!.hits, ...b!.hits].length).toBeGreaterThan(0);
  expect([...a!.hits, ...b!.hits].every((hit) => hit.endsWith('@opfs'))).toBe(true);
});

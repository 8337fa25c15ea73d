// The model store's choice between the Origin Private File System and IndexedDB in Chromium:
// a download broken off halfway (the worker gone, as with a closed tab) resumes from the
// bytes on disk; where OPFS is unavailable, IndexedDB caches the model; and a model an
// earlier version cached in IndexedDB is still served without a download, then moved into
// OPFS once. model-cache.spec.ts covers cold -> warm and a damaged file on OPFS,
// hardening-storage.spec.ts quota, private mode and two tabs. WASM project only.
//
// The steps share one page and leave the cache as the next step expects.
import { expect, test, type Page } from '@playwright/test';
import { modelFileRequests, openHardening, prependToWorker, RANKER, serveWithRanges } from './fixtures/hardening/helpers';

const WEIGHTS_FILE = 'onnx/model_quantized.onnx'; // WASM's dtype
const WEIGHTS = `${RANKER}/${WEIGHTS_FILE}`;
const NO_OPFS = `StorageManager.prototype.getDirectory = () => Promise.reject(new DOMException('Security error when calling GetDirectory', 'SecurityError'));`;

test.describe.configure({ mode: 'serial' });

let page: Page;
let prelude = '';
/** 'half-once': the next weights request gets half the file, then the connection drops. */
let weights: 'serve' | 'half-once' = 'serve';
let weightsBytes = 0;
const weightRanges: Array<string | undefined> = [];
const requests: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await prependToWorker(page, () => prelude);
  await serveWithRanges(page, `**${WEIGHTS}`, weightRanges, (body) => {
    weightsBytes = body.length;
    if (weights === 'half-once') {
      weights = 'serve';
      return { status: 200, body: body.subarray(0, body.length >> 1) };
    }
    return undefined;
  });
  await openHardening(page);
  await page.evaluate(() => window.hardening.clearCache());
});
test.afterAll(() => page.close());

interface Seen {
  stage: string;
  status?: string;
  file?: string;
  store?: string;
  reason?: string;
}

/** Loads the ranker and ranks; with `abortOnRetry`, gives up (worker ended) at the first retry. Errors come back as data. */
function loadAndRank(abortOnRetry = false) {
  return page.evaluate(
    async ({ model, abortOnRetry }) => {
      const events: Seen[] = [];
      const controller = new AbortController();
      try {
        const blender = await window.hardening.api.createBlender({
          ranker: model,
          device: 'wasm',
          signal: controller.signal,
          onProgress: (event) => {
            if (event.stage === 'cache') events.push({ stage: event.stage, file: event.file, status: event.status, store: event.store, reason: event.reason });
            if (event.stage === 'retry') {
              events.push({ stage: event.stage, file: event.file });
              if (abortOnRetry) controller.abort();
            }
          },
        });
        const ranks = await blender.rank(['question'], [['an answer', 'another answer', 'a third']]);
        const { modelStore } = await blender.info();
        await blender.dispose();
        return { ranks, events, modelStore, error: undefined };
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        return { ranks: undefined, events, modelStore: undefined, error: { code, message } };
      }
    },
    { model: RANKER, abortOnRetry },
  );
}

const idbModelKeys = () =>
  page.evaluate(() => window.hardening.storedKeys()).then((keys) => keys.filter((key) => key.startsWith('chunk|') || key.startsWith('file|')));
const opfsFiles = () => page.evaluate(() => window.hardening.opfsFiles());
const cacheEvents = (events: Seen[]) => events.filter((event) => event.stage === 'cache').map((event) => `${event.status}@${event.store ?? '-'}:${event.file}`);

test('a download broken off at 50% with its worker gone resumes from the bytes on disk', async () => {
  weights = 'half-once';
  weightRanges.length = 0;
  const broken = await loadAndRank(true);
  expect(broken.error?.code).toBe('ABORTED');
  expect(broken.events).toContainEqual(expect.objectContaining({ stage: 'retry', file: WEIGHTS_FILE }));
  const half = weightsBytes >> 1;
  // Half the weights are on disk, and nothing says they are a stored copy.
  await expect
    .poll(async () => (await opfsFiles()).filter((file) => file.name.startsWith(`${WEIGHTS_FILE}~`)))
    .toEqual([{ name: expect.stringMatching(/~[0-9a-f]{64}$/) as unknown as string, size: half }]);

  weightRanges.length = 0;
  requests.length = 0;
  const resumed = await loadAndRank();
  expect(resumed.error).toBeUndefined();
  expect(weightRanges).toEqual([`bytes=${half}-`]);
  expect(modelFileRequests(requests, RANKER).filter((path) => path === WEIGHTS)).toEqual([WEIGHTS]);
  expect(cacheEvents(resumed.events)).toContain(`stored@opfs:${WEIGHTS_FILE}`);
  expect(resumed.ranks![0]!.slice().sort()).toEqual([1, 2, 3]);
  // The stored file is whole: its sha256, recomputed here, matches its record.
  expect(await page.evaluate(() => window.hardening.unsoundOpfsFiles())).toEqual([]);
});

test('without OPFS (refused by the browser), IndexedDB caches the model, info() says so, and a reload is served from it', async () => {
  await page.evaluate(() => window.hardening.clearCache());
  prelude = NO_OPFS;
  const first = await loadAndRank();
  expect(first.error).toBeUndefined();
  expect(first.modelStore!.kind).toBe('indexeddb');
  expect(first.modelStore!.reason).toMatch(/^IndexedDB \(the Origin Private File System is unavailable: Security error when calling GetDirectory\)$/);
  expect(cacheEvents(first.events)).toContain(`stored@indexeddb:${WEIGHTS_FILE}`);
  expect((await idbModelKeys()).some((key) => key.includes(WEIGHTS_FILE))).toBe(true);
  expect(await opfsFiles()).toEqual([]);

  requests.length = 0;
  const second = await loadAndRank();
  prelude = '';
  expect(modelFileRequests(requests, RANKER)).toEqual([]);
  expect(cacheEvents(second.events)).toContain(`hit@indexeddb:${WEIGHTS_FILE}`);
  expect(second.ranks).toEqual(first.ranks);
});

test('after the upgrade to OPFS, the IndexedDB cache is served without a download and moved into OPFS once', async () => {
  const before = await idbModelKeys();
  expect(before.length).toBeGreaterThan(0);
  requests.length = 0;
  const moved = await loadAndRank();
  expect(moved.error).toBeUndefined();
  expect(moved.modelStore!.kind).toBe('opfs');
  expect(modelFileRequests(requests, RANKER)).toEqual([]);
  const events = cacheEvents(moved.events);
  expect(events).toContain(`hit@indexeddb:${WEIGHTS_FILE}`);
  expect(events).toContain(`stored@opfs:${WEIGHTS_FILE}`);
  expect(moved.events).toContainEqual(expect.objectContaining({ status: 'stored', file: WEIGHTS_FILE, reason: 'moved from the IndexedDB cache' }));
  expect(await idbModelKeys()).toEqual([]);
  expect(await page.evaluate(() => window.hardening.unsoundOpfsFiles())).toEqual([]);

  requests.length = 0;
  const after = await loadAndRank();
  expect(modelFileRequests(requests, RANKER)).toEqual([]);
  expect(cacheEvents(after.events).every((event) => event.startsWith('hit@opfs:'))).toBe(true);
  expect(after.ranks).toEqual(moved.ranks);
});

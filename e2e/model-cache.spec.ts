// The model store in a real browser: download once, verify, cache (in the Origin Private File
// System, where Chromium has it), repair; and the cache opened on its own in the page
// (openModelCache). Backend-independent, so it runs in the WASM project only. The IndexedDB
// fallback and the move of older IndexedDB caches: opfs-store.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import { MODEL, modelFileRequests, openHarness } from './harness-helpers';

/** The harness page, with the dev server's reload channel silenced (others edit the tree). */
async function openQuietHarness(page: Page): Promise<void> {
  await page.routeWebSocket(/.*/, () => undefined);
  await openHarness(page);
}

test('a cold load downloads and caches the model; a reload fetches no model file', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await openQuietHarness(page);
  const first = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => events.push(event.stage === 'cache' ? `cache:${event.status}` : event.stage),
    });
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    const info = await blender.info();
    await blender.dispose();
    return { ranks, info, events };
  }, MODEL);
  expect(first.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  expect(first.events).toContain('download');
  expect(first.events).toContain('cache:stored');
  const fetched = modelFileRequests(requests);
  expect(fetched).toContain(`${MODEL}/${first.info.ranker!.files[0]}`);
  expect(fetched).toContain(`${MODEL}/tokenizer.json`);
  expect(first.info.modelStore.kind).toBe('opfs');
  const stored = (await page.evaluate(() => window.harness.opfsFiles())).map((file) => file.name);
  // Each file and its record, written once the download's sha256 matched.
  for (const file of [first.info.ranker!.files[0]!, 'tokenizer.json']) {
    expect(stored.filter((name) => name.startsWith(`${file}~`)).map((name) => name.slice(file.length + 65))).toEqual(['', '.done']);
  }
  expect(await page.evaluate(() => window.harness.storedKeys())).not.toContainEqual(expect.stringMatching(/^chunk\|/));

  requests.length = 0;
  await page.reload();
  await openHarness(page);
  const second = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => events.push(event.stage === 'cache' ? `cache:${event.status}` : event.stage),
    });
    const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
    await blender.dispose();
    return { ranks, events };
  }, MODEL);
  expect(modelFileRequests(requests)).toEqual([]);
  expect(second.events).not.toContain('download');
  expect(second.events).toContain('cache:hit');
  expect(second.ranks).toEqual(first.ranks);
});

test('a corrupted stored file is detected, that file is downloaded again, and the model works', async ({ page, context }) => {
  await openQuietHarness(page);
  const file = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model });
    const { ranker } = await blender.info();
    await blender.dispose();
    return ranker!.files[0]!;
  }, MODEL);
  await page.evaluate((name) => window.harness.corruptOpfsFile(name), file);

  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const result = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      onProgress: (event) => {
        if (event.stage === 'cache') events.push(`${event.status}:${event.file}`);
      },
    });
    const ranks = await blender.rank(['question'], [['an answer', 'another answer']]);
    await blender.dispose();
    return { ranks, events };
  }, MODEL);
  expect(result.events).toContain(`corrupt:${file}`);
  expect(result.events).toContain(`stored:${file}`);
  expect(modelFileRequests(requests)).toEqual([`${MODEL}/${file}`]);
  expect(result.ranks[0]!.slice().sort()).toEqual([1, 2]);
});

test('openModelCache in the page lists, measures and deletes a stored model, without a worker; a new blender downloads it again', async ({ page, context }) => {
  await openQuietHarness(page);
  await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model, device: 'wasm' });
    await blender.dispose();
  }, MODEL);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));

  const stored = await page.evaluate(async () => {
    const cache = window.harness.api.openModelCache();
    return { list: await cache.list(), usage: await cache.usage() };
  });
  const absolute = new URL(MODEL, page.url()).href;
  expect(stored.list.map((cached) => cached.model)).toEqual([absolute]);
  expect(stored.list[0]!.files).toContainEqual(expect.objectContaining({ path: 'tokenizer.json', store: 'opfs' }));
  expect(stored.usage.byStore.opfs).toBe(stored.usage.bytes);
  expect(stored.usage.bytes).toBeGreaterThan(0);
  expect(stored.usage.bytes).toBe(stored.list[0]!.bytes);
  expect(stored.usage.originUsage).toBeGreaterThan(0);

  const deleted = await page.evaluate(async (model) => {
    const cache = window.harness.api.openModelCache();
    const refused = await cache.delete('').then(
      () => null,
      (error: { code: string; argument?: string }) => ({ code: error.code, argument: error.argument }),
    );
    await cache.delete(model); // relative to the page, as createBlender takes it
    return {
      refused,
      list: await cache.list(),
      bytes: (await cache.usage()).bytes,
      keys: await window.harness.storedKeys(),
      opfs: await window.harness.opfsFiles(),
    };
  }, MODEL);
  expect(deleted.refused).toEqual({ code: 'INVALID_ARGUMENT', argument: 'model' });
  expect(deleted.list).toEqual([]);
  expect(deleted.bytes).toBe(0);
  expect(deleted.keys.filter((key) => /^(file|chunk|manifest)\|/.test(key))).toEqual([]);
  expect(deleted.opfs).toEqual([]);
  expect(workers).toEqual([]);

  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const again = await page.evaluate(async (model) => {
    const events: string[] = [];
    const blender = await window.harness.api.createBlender({
      ranker: model,
      device: 'wasm',
      onProgress: (event) => events.push(event.stage === 'cache' ? `cache:${event.status}` : event.stage),
    });
    const ranks = await blender.rank(['question'], [['an answer', 'another answer']]);
    await blender.dispose();
    return { events, ranks, listed: (await window.harness.api.openModelCache().list()).length };
  }, MODEL);
  expect(again.events).toContain('download');
  expect(again.events).toContain('cache:stored');
  expect(again.events).not.toContain('cache:hit');
  expect(modelFileRequests(requests)).toContain(`${MODEL}/tokenizer.json`);
  expect(again.ranks[0]!.slice().sort()).toEqual([1, 2]);
  expect(again.listed).toBe(1);
});

test('openModelCache().delete waits for a blender downloading that model, then deletes all of it', async ({ page }) => {
  await openQuietHarness(page);
  // The model's graph is held on the wire until the test lets it go.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let graphAsked = () => {};
  const asked = new Promise<void>((resolve) => (graphAsked = resolve));
  await page.route(`**${MODEL}/onnx/**`, async (route) => {
    graphAsked();
    await held;
    await route.continue();
  });

  await page.evaluate((model) => {
    const state = { loaded: false, deleted: false, loadError: undefined as string | undefined };
    Object.assign(window, { cacheTest: state });
    void window.harness.api
      .createBlender({ ranker: model, device: 'wasm' })
      .then((blender) => blender.dispose())
      .then(
        () => (state.loaded = true),
        (error: Error) => (state.loadError = error.message),
      );
  }, MODEL);
  await asked; // the worker is downloading under the model's lock now
  const lockName = `llm-blender-web:model:${new URL(MODEL, page.url()).href}`;
  await page.evaluate((model) => {
    const state = (window as unknown as { cacheTest: { deleted: boolean } }).cacheTest;
    void window.harness.api
      .openModelCache()
      .delete(model)
      .then(() => (state.deleted = true));
  }, MODEL);
  // The delete is queued behind the download's lock, not done.
  await expect.poll(() => page.evaluate(async () => (await navigator.locks.query()).pending?.map((lock) => lock.name) ?? [])).toContain(lockName);
  const waiting = await page.evaluate(() => (window as unknown as { cacheTest: { loaded: boolean; deleted: boolean } }).cacheTest);
  expect(waiting).toMatchObject({ loaded: false, deleted: false });

  release();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { cacheTest: { loaded: boolean; deleted: boolean } }).cacheTest))
    .toMatchObject({ loaded: true, deleted: true });
  const left = await page.evaluate(async () => ({
    list: await window.harness.api.openModelCache().list(),
    keys: (await window.harness.storedKeys()).filter((key) => /^(file|chunk|manifest)\|/.test(key)),
    opfs: await window.harness.opfsFiles(),
  }));
  expect(left).toEqual({ list: [], keys: [], opfs: [] });
});

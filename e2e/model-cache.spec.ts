// The model store in a real browser: download once, verify, cache in IndexedDB, repair.
// Backend-independent, so it runs in the WASM project only.
import { expect, test } from '@playwright/test';
import { MODEL, modelFileRequests, openHarness } from './harness-helpers';

test('a cold load downloads and caches the model; a reload fetches no model file', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await openHarness(page);
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
  expect(fetched).toContain(`${MODEL}/${first.info.ranker!.file}`);
  expect(fetched).toContain(`${MODEL}/tokenizer.json`);
  expect(await page.evaluate(() => window.harness.storedKeys())).toContainEqual(expect.stringMatching(/^chunk\|/));

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

test('a corrupted stored chunk is detected, that file is downloaded again, and the model works', async ({ page, context }) => {
  await openHarness(page);
  const file = await page.evaluate(async (model) => {
    const blender = await window.harness.api.createBlender({ ranker: model });
    const { ranker } = await blender.info();
    await blender.dispose();
    return ranker!.file;
  }, MODEL);
  await page.evaluate((name) => window.harness.corruptStoredChunk(name), file);

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

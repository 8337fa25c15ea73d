// Every callback of a call reaches the page before the call's promise settles. The worker
// calls the page's callbacks through Comlink proxies, each on a MessagePort of its own, while
// the result comes back on the worker's own port: nothing orders the two but the worker
// waiting for its deliveries. Each check below looks at what the page had received at the
// moment the promise resolved (in the promise's own reaction, before any other task could
// deliver more), never after a later call. Backend-independent: the WASM project runs it.
import { expect, test } from '@playwright/test';
import { withinLimit } from '../test/fuse/fuser-goldens';
import { openHarness } from './harness-helpers';

const FUSER = '/models/tiny-fuser';
const RANKER = '/models/tiny-pairrm';

/**
 * Every golden input that fits the fuser's limit, twice over: more inputs mean more pieces in
 * flight when the result is sent, so a result that overtakes its pieces shows up every run.
 */
const cases = [...withinLimit, ...withinLimit];
const columns = {
  inputs: cases.map((c) => c.input),
  candidates: cases.map((c) => c.candidates),
  instructions: cases.map((c) => c.instruction),
};

test('fuse, rank and createBlender resolve only after every callback of theirs ran in the page', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(
    async ({ ranker, fuser, data }) => {
      /**
       * A page callback that takes a while (a busy main thread: layout, a heavy handler), so
       * deliveries, and the result, queue up in the page behind it: the race the worker must
       * not lose. The first callback of each call is the slowest, so that most of the call
       * happens while the page is busy.
       */
      const slowly = (ms: number) => {
        const until = performance.now() + ms;
        while (performance.now() < until) {
          // busy: the page's thread is occupied, as with a heavy handler
        }
      };

      const loadEvents: string[] = [];
      const load = await window.harness.api
        .createBlender({
          ranker,
          fuser,
          device: 'wasm',
          dtype: 'fp32',
          onProgress: (event) => {
            // The fuser's session is created while this runs: its 'ready' event and the
            // load's end both wait in the page.
            slowly(event.stage === 'session' && event.status === 'creating' && event.role === 'fuser' ? 1500 : 2);
            loadEvents.push(event.stage === 'session' ? `${event.role}:session:${event.status}` : `${event.role}:${event.stage}`);
          },
        })
        .then((blender) => ({ blender, received: [...loadEvents] }));
      const { blender } = load;

      const pieces: string[][] = data.inputs.map(() => []);
      const fuseProgress: { done: number; total: number }[] = [];
      const fuse = await blender
        .fuse(data.inputs, data.candidates, {
          instructions: data.instructions,
          numBeams: 1,
          maxNewTokens: 48,
          onToken: (input, text) => {
            slowly(2);
            pieces[input]!.push(text);
          },
          onProgress: (progress) => {
            slowly(1);
            fuseProgress.push({ done: progress.done, total: progress.total });
          },
        })
        // The snapshot is taken in the promise's reaction: a delivery still on its way cannot
        // have run yet.
        .then((texts) => ({
          texts,
          streamed: pieces.map((list) => list.join('')),
          pieceCounts: pieces.map((list) => list.length),
          lastProgress: fuseProgress.at(-1) ?? null,
        }));

      const rankProgress: { done: number; total: number }[] = [];
      const rank = await blender
        .rank(data.inputs, data.candidates, {
          batchSize: 1,
          onProgress: (progress) => {
            slowly(rankProgress.length === 0 ? 400 : 10);
            rankProgress.push({ done: progress.done, total: progress.total });
          },
        })
        .then((ranks) => ({ ranks, events: rankProgress.length, lastProgress: rankProgress.at(-1) ?? null }));

      await blender.dispose();
      return { loadReceived: load.received, fuse, rank };
    },
    { ranker: RANKER, fuser: FUSER, data: columns },
  );

  // createBlender: both models' last load event was in before it resolved.
  expect.soft(result.loadReceived).toContain('ranker:session:ready');
  expect.soft(result.loadReceived.at(-1)).toBe('fuser:session:ready');

  // fuse: each input's streamed pieces make up its returned text, in several pieces.
  expect(result.fuse.texts).toHaveLength(columns.inputs.length);
  expect.soft(result.fuse.streamed).toEqual(result.fuse.texts);
  for (const count of result.fuse.pieceCounts) expect.soft(count).toBeGreaterThan(2);
  expect.soft(result.fuse.lastProgress).toEqual({ done: columns.inputs.length, total: columns.inputs.length });

  // rank: the last progress event (every pass done) was in before it resolved. Full ranking
  // runs n(n-1) passes per input.
  const passes = columns.candidates.reduce((sum, list) => sum + list.length * (list.length - 1), 0);
  expect(result.rank.ranks).toHaveLength(columns.inputs.length);
  expect(result.rank.events).toBeGreaterThan(1);
  expect.soft(result.rank.lastProgress).toEqual({ done: passes, total: passes });
});

test('a callback that throws is reported in the page as uncaught; the call goes on and resolves with its result', async ({ page }) => {
  const uncaught: string[] = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  await openHarness(page);
  const c = withinLimit[0]!;
  const result = await page.evaluate(
    async ({ fuser, c }) => {
      const blender = await window.harness.api.createBlender({ ranker: null, fuser, device: 'wasm', dtype: 'fp32' });
      const pieces: string[] = [];
      const progress: number[] = [];
      const texts = await blender.fuse([c.input], [c.candidates], {
        instructions: [c.instruction],
        numBeams: 1,
        maxNewTokens: 16,
        onToken: (_input, text) => {
          pieces.push(text);
          throw new Error(`onToken failed on piece ${pieces.length}`);
        },
        onProgress: (event) => {
          progress.push(event.done);
          throw new Error('onProgress failed');
        },
      });
      const streamed = pieces.join('');
      await blender.dispose();
      return { texts, streamed, pieces: pieces.length, progress };
    },
    { fuser: FUSER, c },
  );
  // Every piece was still delivered, and the result is the whole text.
  expect(result.texts[0]!.length).toBeGreaterThan(0);
  expect(result.streamed).toBe(result.texts[0]);
  expect(result.progress).toEqual([1]);
  // Each exception reached the page's error reporting (the window's error event).
  await expect.poll(() => uncaught.length).toBe(result.pieces + 1);
  expect(uncaught).toContain('onToken failed on piece 1');
  expect(uncaught).toContain('onProgress failed');
});

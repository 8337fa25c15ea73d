// A page blender's exact pair cache: a repeated rank runs no pair in the worker, its ranks
// are the same, and info().ranker.pairCache counts the hits; pairCache: 0 turns it off.
// Backend-independent (the cache is the engine's): the WASM project runs it.
import { expect, test } from '@playwright/test';
import { openHarness } from './harness-helpers';

const RANKER = '/models/tiny-pairrm';

test('a repeated rank is answered from the pair cache; adding a candidate runs only its new pairs', async ({ page }) => {
  await openHarness(page);
  const result = await page.evaluate(async (model) => {
    const candidates = ['hi! I am fine, thanks!', 'get out!', 'bye!', 'hello there'];
    const counts = async (blender: Awaited<ReturnType<typeof window.harness.api.createBlender>>) => {
      const ranker = (await blender.info()).ranker!;
      return { passes: ranker.passes, cache: ranker.pairCache };
    };
    const blender = await window.harness.api.createBlender({ ranker: model, fuser: null, pairCache: 100 });
    const loaded = await counts(blender);
    const first = await blender.rank(['how are you?'], [candidates]);
    const afterFirst = await counts(blender);
    const again = await blender.rank(['how are you?'], [candidates]);
    const afterAgain = await counts(blender);
    await blender.rank(['how are you?'], [[...candidates, 'fine, and you?']]);
    const afterFifth = await counts(blender);
    await blender.dispose();

    const off = await window.harness.api.createBlender({ ranker: model, fuser: null, pairCache: 0 });
    await off.rank(['how are you?'], [candidates]);
    await off.rank(['how are you?'], [candidates]);
    const offCounts = await counts(off);
    await off.dispose();
    return { loaded, first, again, afterFirst, afterAgain, afterFifth, offCounts };
  }, RANKER);
  const pairs = 4 * 3;
  // The load's warm-up is not the caller's: nothing held, nothing counted.
  expect(result.loaded).toEqual({ passes: 0, cache: { size: 0, capacity: 100, hits: 0, misses: 0 } });
  expect(result.afterFirst).toEqual({ passes: pairs, cache: { size: pairs, capacity: 100, hits: 0, misses: pairs } });
  expect(result.again).toEqual(result.first);
  expect(result.afterAgain).toEqual({ passes: pairs, cache: { size: pairs, capacity: 100, hits: pairs, misses: pairs } });
  // A fifth candidate: its 2 x 4 new ordered pairs run, the 12 others come from the cache.
  expect(result.afterFifth).toEqual({ passes: pairs + 2 * 4, cache: { size: pairs + 8, capacity: 100, hits: 2 * pairs, misses: pairs + 8 } });
  expect(result.offCounts).toEqual({ passes: 2 * pairs, cache: { size: 0, capacity: 0, hits: 0, misses: 0 } });
});

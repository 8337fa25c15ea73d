// A returning visitor's wait, through the library as a page uses it: createBlender (worker,
// model files from the store, verification, self-check, session) and the first rank() of a
// small set, on WASM. bench/store.mjs loads this page once per round, so every round has a
// fresh page, worker and ORT instance; only the store (OPFS, IndexedDB) persists.
import { createBlender } from '../../src/client/index';
import type { FirstRankReply, FirstRankRequest } from './protocol';

async function firstRank(request: FirstRankRequest): Promise<FirstRankReply | { error: string }> {
  try {
    const started = performance.now();
    const blender = await createBlender({ ranker: request.ranker, fuser: null, dtype: request.dtype, device: 'wasm' });
    const createMs = performance.now() - started;
    try {
      const ranked = await blender.rank([request.input], [request.candidates]);
      const totalMs = performance.now() - started;
      const info = await blender.info();
      const ranker = info.ranker!;
      if (ranker.dtype !== request.dtype || ranker.backend !== 'wasm') throw new Error(`loaded ${ranker.dtype} on ${ranker.backend}`);
      return { totalMs, createMs, rankMs: totalMs - createMs, ranks: ranked[0]!, timings: { ...ranker.timings }, modelStore: info.modelStore.kind };
    } finally {
      await blender.dispose();
    }
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

declare global {
  interface Window {
    firstRankBench: { firstRank: typeof firstRank };
  }
}
window.firstRankBench = { firstRank };
document.querySelector('#status')!.textContent = 'ready';

// The page ranker's pair cache: the load's warm-up run leaves it empty with no counts, so
// info().pairCache describes the caller's calls only (as passes do).
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { OrtModuleLike, OrtSessionOptions } from '../../src/runtime/common/ort-sessions';
import { ModelStore } from '../../src/runtime/web/model-store';
import { loadPageRanker } from '../../src/runtime/web/page-ranker';

const MODEL_DIR = 'public/models/tiny-pairrm';
const URL_BASE = 'https://example.test/models/tiny-pairrm';

const store = () => {
  const map = new Map<string, unknown>();
  return new ModelStore({
    storage: {
      get: async (key) => map.get(key),
      set: async (key, value) => void map.set(key, value),
      del: async (key) => void map.delete(key),
      keys: async () => [...map.keys()],
    },
    fetch: async (url) => new Response(readFileSync(`${MODEL_DIR}/${url.slice(URL_BASE.length + 1)}`)),
    subtle: webcrypto.subtle as SubtleCrypto,
  });
};

/** onnxruntime-node standing in for the web ORT: every backend runs on its CPU provider. */
const ort: OrtModuleLike = {
  Tensor: ortNode.Tensor,
  InferenceSession: {
    create: (model: Uint8Array | string, _options?: OrtSessionOptions) => ortNode.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'] }),
  },
};

const request = { url: URL_BASE, device: 'wasm', dtype: 'fp32', webgpu: { available: false, reason: 'none in Node' }, onLoad: undefined } as const;

describe('loadPageRanker: pair cache', () => {
  it('starts empty after the warm-up; the warm-up pair is a miss for the caller; counts follow calls', async () => {
    const ranker = await loadPageRanker(ort, store(), request, 50);
    expect(ranker.info().pairCache).toEqual({ size: 0, capacity: 50, hits: 0, misses: 0 });
    // The very pair the warm-up ran: the caller's first lookup of it misses.
    await ranker.model.engine.compare([''], [''], [''], { mode: '[A,B]' });
    expect(ranker.info()).toMatchObject({ passes: 1, pairCache: { size: 1, capacity: 50, hits: 0, misses: 1 } });
    await ranker.model.engine.compare([''], [''], [''], { mode: '[A,B]' });
    expect(ranker.info()).toMatchObject({ passes: 1, pairCache: { size: 1, capacity: 50, hits: 1, misses: 1 } });
    await ranker.release();
  });

  it('pairCache 0 is off', async () => {
    const ranker = await loadPageRanker(ort, store(), request, 0);
    await ranker.model.engine.rank(['q'], [['a', 'b']]);
    await ranker.model.engine.rank(['q'], [['a', 'b']]);
    expect(ranker.info()).toMatchObject({ passes: 4, pairCache: { size: 0, capacity: 0, hits: 0, misses: 0 } });
    await ranker.release();
  });
});

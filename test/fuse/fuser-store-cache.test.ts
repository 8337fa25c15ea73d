// The page's way of loading the fuser, run in Node: every byte comes through the model
// store (fetched once, verified against manifest.json) and transformers.js's custom-cache
// hook; transformers.js itself never fetches or reads a file. The fuser loaded this way
// reproduces a golden.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fuserFiles, loadFuser } from '../../src/runtime/common/fuser';
import { folderBytesCache, serveOnlyFrom } from '../../src/runtime/web/fuser-store-cache';
import { ModelStore } from '../../src/runtime/web/model-store';
import { goldens, TINY_FUSER, withinLimit } from './fuser-goldens';

const MODEL = 'https://models.test/tiny-fuser';

function storeOverDisk() {
  const requests: string[] = [];
  const kept = new Map<string, unknown>();
  const store = new ModelStore({
    storage: {
      get: async (key) => kept.get(key),
      set: async (key, value) => void kept.set(key, value),
      del: async (key) => void kept.delete(key),
      keys: async () => [...kept.keys()],
    },
    fetch: async (url) => {
      requests.push(url);
      return new Response(readFileSync(`${TINY_FUSER}/${url.slice(MODEL.length + 1)}`));
    },
    subtle: webcrypto.subtle as SubtleCrypto,
  });
  return { store, requests };
}

afterEach(() => vi.unstubAllGlobals());

describe('fuser bytes from the model store (custom cache hook)', () => {
  it('serves only its folder, and misses everything else', async () => {
    const cache = folderBytesCache(MODEL, new Map([['config.json', new Uint8Array([123, 125])]]));
    expect(await (await cache.match(`${MODEL}/config.json`))!.text()).toBe('{}');
    expect(await (await cache.match(`https://huggingface.co/${MODEL}/resolve/main/config.json`))!.text()).toBe('{}');
    expect(await cache.match(`https://huggingface.co/${MODEL}/config.json`)).toBeUndefined();
    expect(await cache.match(`${MODEL}/tokenizer.json`)).toBeUndefined();
    expect(await cache.match('https://elsewhere.test/tiny-fuser/config.json')).toBeUndefined();
  });

  it('transformers.js loads from store bytes alone and the fuser reproduces the golden', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('transformers.js must not fetch')));
    vi.stubGlobal('fetch', fetchSpy);
    const { store, requests } = storeOverDisk();
    const paths = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', ...fuserFiles('fp32')];
    const detach = serveOnlyFrom(folderBytesCache(MODEL, await store.files(MODEL, paths)));
    const fuser = await loadFuser(MODEL, { device: 'cpu', dtype: 'fp32' }).finally(detach);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(requests).toEqual(['manifest.json', ...paths].map((path) => `${MODEL}/${path}`));
    const c = withinLimit[0]!;
    const fused = await fuser.engine.fuse([c.input], [c.candidates], { instructions: [c.instruction], maxNewTokens: goldens.max_new_tokens });
    expect(fused).toEqual([c.beam.text]);
    await fuser.model.dispose();
  });

  it('a file the store did not provide is "not found", never fetched', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('transformers.js must not fetch')));
    vi.stubGlobal('fetch', fetchSpy);
    const { store } = storeOverDisk();
    const detach = serveOnlyFrom(folderBytesCache(MODEL, await store.files(MODEL, ['config.json', 'tokenizer.json', 'tokenizer_config.json'])));
    await expect(loadFuser(MODEL, { device: 'cpu', dtype: 'fp32' }).finally(detach)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

// The worker's ranker loading, run in Node: the real tiny model through the real store (a
// fake network that serves the model folder from disk) and onnxruntime-node standing in
// for onnxruntime-web, so the backend choice and the WebGPU -> WASM fallback can be driven.
import { createHash, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { LoadEvent } from '../../src/runtime/web/load-events';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore } from '../../src/runtime/web/model-store';
import type { OrtModuleLike, OrtSessionLike, OrtSessionOptions } from '../../src/runtime/common/ort-sessions';
import { loadPageRanker } from '../../src/runtime/web/page-ranker';
import { webGpuAdapter } from './webgpu-adapter';

const MODEL_DIR = 'public/models/tiny-pairrm';
const URL_BASE = 'https://example.test/models/tiny-pairrm';

/** A store over `map` (pass the same map again for a warm load, as after a page reload). */
function diskStore(map = new Map<string, unknown>()): ModelStore {
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
}

/** onnxruntime-node as "the web ORT": 'wasm' runs on its CPU EP, 'webgpu' fails as asked. */
function fakeWebOrt(webgpu: 'cannot-create' | 'cannot-run'): OrtModuleLike & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    Tensor: ortNode.Tensor,
    InferenceSession: {
      async create(model: Uint8Array | string, options?: OrtSessionOptions) {
        const provider = options?.executionProviders?.[0] ?? 'none';
        if (!isStarterGraph(model)) opened.push(provider);
        if (provider === 'webgpu' && webgpu === 'cannot-create') throw new Error('no WebGPU kernels for this graph');
        const session = await ortNode.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'] });
        if (provider !== 'webgpu') return session;
        return {
          inputNames: session.inputNames,
          outputNames: session.outputNames,
          release: () => session.release(),
          run: async () => {
            throw new Error('Program Gather requires f16 but the device does not support it');
          },
        };
      },
    },
  };
}

/** startOrtRuntime's few-byte graph, which every load creates first to start the runtime early. */
const isStarterGraph = (model: Uint8Array | string) => typeof model !== 'string' && model.byteLength < 1024;

// A hardware adapter: `auto` tries WebGPU first (a software one would go to WASM at once).
const adapter = webGpuAdapter(false);

describe('loadPageRanker', () => {
  it.each(['cannot-create', 'cannot-run'] as const)('falls back from WebGPU to WASM when WebGPU %s, and says why', async (failure) => {
    const ort = fakeWebOrt(failure);
    const events: LoadEvent[] = [];
    const ranker = await loadPageRanker(ort, diskStore(), {
      url: URL_BASE,
      device: 'auto',
      dtype: 'auto',
      webgpu: adapter,
      onLoad: (event) => events.push(event),
    });
    const info = ranker.info();
    expect(ort.opened).toEqual(['webgpu', 'wasm']);
    expect(info).toMatchObject({ backend: 'wasm', dtype: 'q8', files: ['onnx/model_quantized.onnx'] });
    expect(info.reason).toMatch(/^WASM: WebGPU could not run the ranker/);
    expect(events).toContainEqual(expect.objectContaining({ stage: 'fallback', from: 'webgpu', to: 'wasm' }));
    expect(await ranker.model.engine.rank(['q'], [['a', 'b', 'c']])).toHaveLength(1);
    expect(info.timings.firstRunMs).toBeGreaterThan(0);
  });

  it('does not fall back when WebGPU was forced', async () => {
    const error = await loadPageRanker(fakeWebOrt('cannot-run'), diskStore(), {
      url: URL_BASE,
      device: 'webgpu',
      dtype: 'auto',
      webgpu: adapter,
      onLoad: undefined,
    }).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('INFERENCE_FAILED');
  });

  it('starts ORT (a session on a few-byte graph) before the ranker graph is read', async () => {
    const log: string[] = [];
    const ort = fakeWebOrt('cannot-create');
    const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (model: Uint8Array) => Promise<OrtSessionLike>;
    ort.InferenceSession.create = (async (model: Uint8Array) => (
      log.push(isStarterGraph(model) ? 'start ORT' : 'create ranker'),
      create(model)
    )) as OrtModuleLike['InferenceSession']['create'];
    await loadPageRanker(ort, diskStore(), {
      url: URL_BASE,
      device: 'wasm',
      dtype: 'q8',
      webgpu: adapter,
      onLoad: (event) => void (event.stage === 'download' && event.file.endsWith('.onnx') && log.at(-1) !== 'download graph' && log.push('download graph')),
    });
    expect(log).toEqual(['start ORT', 'download graph', 'create ranker']);
  });

  it('reports download, cache and session stages in order', async () => {
    const events: LoadEvent[] = [];
    await loadPageRanker(fakeWebOrt('cannot-create'), diskStore(), {
      url: URL_BASE,
      device: 'wasm',
      dtype: 'fp32',
      webgpu: adapter,
      onLoad: (event) => events.push(event),
    });
    const stages = events.map((event) =>
      event.stage === 'cache' ? `cache:${event.status}:${event.file}` : event.stage === 'session' ? `session:${event.status}` : event.stage,
    );
    const graphStored = stages.indexOf('cache:stored:onnx/model.onnx');
    expect(graphStored).toBeGreaterThan(0);
    expect(stages.indexOf('session:creating')).toBeGreaterThan(graphStored);
    expect(stages.at(-1)).toBe('session:ready');
    expect(events.every((event) => event.role === 'ranker')).toBe(true);
  });

  describe('a warm load whose stored graph fails its sha256 (checked while the session is created)', () => {
    const GRAPH = 'onnx/model_quantized.onnx';
    const good = readFileSync(`${MODEL_DIR}/${GRAPH}`);
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

    /** onnxruntime-node that records each session: made from the good bytes or not, runs, release. */
    function recordingOrt(badGraph: 'parses' | 'fails-to-parse') {
      const sessions: { fromGoodBytes: boolean; runs: number; released: boolean }[] = [];
      const ort: OrtModuleLike = {
        Tensor: ortNode.Tensor,
        InferenceSession: {
          async create(model: Uint8Array | string) {
            if (isStarterGraph(model)) return ortNode.InferenceSession.create(model as Uint8Array);
            const record = { fromGoodBytes: typeof model !== 'string' && sha(model) === sha(good), runs: 0, released: false };
            const isGraph = typeof model !== 'string' && model.byteLength === good.byteLength;
            if (isGraph && !record.fromGoodBytes && badGraph === 'fails-to-parse') throw new Error('protobuf parsing failed');
            sessions.push(record);
            // Bad bytes that "parse": a working session, so only the bookkeeping can tell.
            const session = await ortNode.InferenceSession.create(isGraph ? good : (model as Uint8Array), { executionProviders: ['cpu'] });
            return {
              inputNames: session.inputNames,
              outputNames: session.outputNames,
              run: (feeds: Parameters<typeof session.run>[0]) => (record.runs++, session.run(feeds)),
              release: () => ((record.released = true), session.release()),
            };
          },
        },
      };
      return { ort, sessions };
    }

    it.each(['parses', 'fails-to-parse'] as const)(
      'never runs a session from the bad copy (it %s), drops the copy and loads a fresh download',
      async (badGraph) => {
        const map = new Map<string, unknown>();
        const request = { url: URL_BASE, device: 'wasm', dtype: 'q8', webgpu: adapter } as const;
        await (await loadPageRanker(recordingOrt('parses').ort, diskStore(map), { ...request, onLoad: undefined })).release();
        const chunkKey = [...map.keys()].find((key) => key.startsWith('chunk|') && key.includes(GRAPH))!;
        const corrupted = (map.get(chunkKey) as Uint8Array).slice();
        corrupted[100] = corrupted[100]! ^ 0xff;
        map.set(chunkKey, corrupted);

        const { ort, sessions } = recordingOrt(badGraph);
        const events: LoadEvent[] = [];
        const ranker = await loadPageRanker(ort, diskStore(map), { ...request, onLoad: (event) => events.push(event) });

        const graphEvents = events.flatMap((event) =>
          event.stage === 'cache' && event.file === GRAPH ? [`cache:${event.status}`] : event.stage === 'download' && event.file === GRAPH ? ['download'] : [],
        );
        expect(graphEvents[0]).toBe('cache:corrupt');
        expect(graphEvents).toContain('download');
        expect(graphEvents.at(-1)).toBe('cache:stored');
        const fromBad = sessions.filter((session) => !session.fromGoodBytes);
        expect(fromBad).toEqual(badGraph === 'parses' ? [{ fromGoodBytes: false, runs: 0, released: true }] : []);
        expect(sessions.filter((session) => session.fromGoodBytes)).toHaveLength(1);
        expect(await ranker.model.engine.rank(['q'], [['a', 'b']])).toEqual([expect.any(Array)]);
        expect(sha((map.get(chunkKey) as Uint8Array) ?? new Uint8Array())).not.toBe(sha(corrupted));
      },
    );

    it('rethrows a session failure when the stored graph was sound', async () => {
      const map = new Map<string, unknown>();
      const request = { url: URL_BASE, device: 'wasm', dtype: 'q8', webgpu: adapter, onLoad: undefined } as const;
      await (await loadPageRanker(recordingOrt('parses').ort, diskStore(map), request)).release();
      const failing: OrtModuleLike = {
        Tensor: ortNode.Tensor,
        InferenceSession: { create: async () => Promise.reject(new Error('out of memory')) },
      };
      const error = await loadPageRanker(failing, diskStore(map), request).catch((e: unknown) => e);
      expect(isBlenderError(error) && error.code).toBe('MODEL_LOAD_FAILED');
      expect([...map.keys()].some((key) => key.includes(GRAPH))).toBe(true); // the sound copy stays cached
    });
  });
});

describe('loadPageRanker: pair cache', () => {
  // The load's warm-up run leaves the cache empty with no counts, so info().pairCache
  // describes the caller's calls only (as passes do).
  const request = { url: URL_BASE, device: 'wasm', dtype: 'fp32', webgpu: { available: false, reason: 'none in Node' }, onLoad: undefined } as const;

  it('starts empty after the warm-up; the warm-up pair is a miss for the caller; counts follow calls', async () => {
    const ranker = await loadPageRanker(fakeWebOrt('cannot-run'), diskStore(), request, 50);
    expect(ranker.info().pairCache).toEqual({ size: 0, capacity: 50, hits: 0, misses: 0 });
    // The very pair the warm-up ran: the caller's first lookup of it misses.
    await ranker.model.engine.compare([''], [''], [''], { mode: '[A,B]' });
    expect(ranker.info()).toMatchObject({ passes: 1, pairCache: { size: 1, capacity: 50, hits: 0, misses: 1 } });
    await ranker.model.engine.compare([''], [''], [''], { mode: '[A,B]' });
    expect(ranker.info()).toMatchObject({ passes: 1, pairCache: { size: 1, capacity: 50, hits: 1, misses: 1 } });
    await ranker.release();
  });

  it('pairCache 0 is off', async () => {
    const ranker = await loadPageRanker(fakeWebOrt('cannot-run'), diskStore(), request, 0);
    await ranker.model.engine.rank(['q'], [['a', 'b']]);
    await ranker.model.engine.rank(['q'], [['a', 'b']]);
    expect(ranker.info()).toMatchObject({ passes: 4, pairCache: { size: 0, capacity: 0, hits: 0, misses: 0 } });
    await ranker.release();
  });
});

// The worker's ranker loading, run in Node: the real tiny model through the real store (a
// fake network that serves the model folder from disk) and onnxruntime-node standing in
// for onnxruntime-web, so the backend choice and the WebGPU -> WASM fallback can be driven.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { LoadEvent } from '../../src/client/protocol';
import { isBlenderError } from '../../src/engine/errors';
import { ModelStore } from '../../src/runtime/model-store';
import type { OrtModuleLike, OrtSessionOptions } from '../../src/runtime/ort-sessions';
import { loadPageRanker } from '../../src/runtime/page-ranker';
import type { WebGpuProbe } from '../../src/runtime/webgpu-probe';

const MODEL_DIR = 'public/models/tiny-pairrm';
const URL_BASE = 'https://example.test/models/tiny-pairrm';

function diskStore(): ModelStore {
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
}

/** onnxruntime-node as "the web ORT": 'wasm' runs on its CPU EP, 'webgpu' fails as asked. */
function fakeWebOrt(webgpu: 'cannot-create' | 'cannot-run'): OrtModuleLike & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    Tensor: ortNode.Tensor as unknown as OrtModuleLike['Tensor'],
    InferenceSession: {
      async create(model: Uint8Array | string, options?: OrtSessionOptions) {
        const provider = options?.executionProviders?.[0] ?? 'none';
        opened.push(provider);
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
    } as OrtModuleLike['InferenceSession'],
  };
}

const adapter: WebGpuProbe = {
  available: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true, shaderF16: false, maxBufferSize: 1 << 30 },
};

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
    expect(info).toMatchObject({ backend: 'wasm', dtype: 'q8', file: 'onnx/model_quantized.onnx' });
    expect(info.reason).toMatch(/^WASM: WebGPU could not run the ranker/);
    expect(events).toContainEqual(expect.objectContaining({ stage: 'fallback', from: 'webgpu', to: 'wasm' }));
    expect(await ranker.engine.rank(['q'], [['a', 'b', 'c']])).toHaveLength(1);
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

  it('reports download, cache and session stages in order', async () => {
    const events: LoadEvent[] = [];
    await loadPageRanker(fakeWebOrt('cannot-create'), diskStore(), {
      url: URL_BASE,
      device: 'wasm',
      dtype: 'fp32',
      webgpu: adapter,
      onLoad: (event) => events.push(event),
    });
    const stages = events.map((event) => (event.stage === 'cache' ? `cache:${event.status}:${event.file}` : event.stage === 'session' ? `session:${event.status}` : event.stage));
    const graphStored = stages.indexOf('cache:stored:onnx/model.onnx');
    expect(graphStored).toBeGreaterThan(0);
    expect(stages.indexOf('session:creating')).toBeGreaterThan(graphStored);
    expect(stages.at(-1)).toBe('session:ready');
    expect(events.every((event) => event.role === 'ranker')).toBe(true);
  });
});

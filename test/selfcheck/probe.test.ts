// The self-check's pure parts: reading a manifest's probe, comparing a run with it, the
// fallback ladder of device 'auto', and the memory of failed choices.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelCacheOver } from '../../src/client/model-cache';
import { isBlenderError } from '../../src/engine/errors';
import type { Dtype } from '../../src/runtime/common/dtypes';
import { checkProbe, maxDeviation, readProbe, tokenMismatches, type FuserProbe, type RankerProbe } from '../../src/runtime/common/probe';
import { chooseBackend, fallbackLadder, type BackendRequest } from '../../src/runtime/web/backend-choice';
import { choiceMemory } from '../../src/runtime/web/choice-memory';
import type { KeyValueStorage } from '../../src/runtime/web/chunked-cache';
import { probeWebGpu, softwareRenderer, type WebGpuProbe } from '../../src/runtime/web/webgpu-probe';
import { webGpuAdapter } from '../runtime/webgpu-adapter';

const manifest = (folder: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`public/models/${folder}/manifest.json`, 'utf8')) as Record<string, unknown>;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isBlenderError(error)) return `${error.code} ${error.argument}`;
    throw error;
  }
  return 'no error';
}

describe('readProbe', () => {
  it('reads the bundled ranker and fuser probes', () => {
    const ranker = readProbe(manifest('tiny-pairrm'), 'ranker', 'tiny') as RankerProbe;
    expect(ranker.kind).toBe('ranker');
    expect(ranker.rows.length).toBe(ranker.logits.length);
    expect(Object.keys(ranker.tolerance).sort()).toEqual(['fp16', 'fp32', 'q4', 'q8']);
    const fuser = readProbe(manifest('tiny-fuser'), 'fuser', 'tiny') as FuserProbe;
    expect(fuser.greedy.length).toBe(fuser.prompts.length);
    expect(fuser.firstStep.ids[0]!.length).toBe(fuser.firstStep.logits[0]!.length);
    expect(fuser.tolerance.q8!.tokenMismatches).toBeGreaterThanOrEqual(0);
  });

  it('a manifest without a probe has none (the model loads unchecked)', () => {
    expect(readProbe({ files: [] }, 'ranker', 'm')).toBeNull();
  });

  it.each<[string, unknown]>([
    ['not an object', 3],
    ['the other kind', { ...(manifest('tiny-fuser')['probe'] as object) }],
    ['a logit missing', { ...(manifest('tiny-pairrm')['probe'] as object), logits: [0.5] }],
    ['a negative tolerance', { ...(manifest('tiny-pairrm')['probe'] as object), tolerance: { fp32: { logit: -1 } } }],
    ['an unknown variant', { ...(manifest('tiny-pairrm')['probe'] as object), tolerance: { int2: { logit: 1 } } }],
  ])('a malformed probe (%s) is MODEL_INVALID naming the model option', (_name, probe) => {
    expect(codeOf(() => readProbe({ files: [], probe }, 'ranker', 'm'))).toBe('MODEL_INVALID options.ranker');
  });
});

describe('checkProbe', () => {
  const probe: RankerProbe = { kind: 'ranker', rows: [[1], [2], [3]], logits: [0.5, -1, 2], tolerance: { fp32: { logit: 0.01 }, q8: { logit: 0.1 } } };

  it('passes within the tolerance and fails outside it, per variant', () => {
    const close = checkProbe(probe, 'q8', 'wasm', { kind: 'ranker', logits: [0.55, -1.04, 2] });
    expect(close.passed).toBe(true);
    expect(close.deviation).toBeCloseTo(0.05, 6);
    expect(close.summary).toMatch(/^q8 on wasm: max \|Δlogit\| 0\.05 ≤ 0\.1$/);
    const far = checkProbe(probe, 'fp32', 'webgpu', { kind: 'ranker', logits: [0.55, -1, 2] });
    expect(far).toMatchObject({ passed: false, tolerance: 0.01 });
    expect(far.summary).toMatch(/> 0\.01/);
  });

  it.each([NaN, Infinity, -Infinity])('an output of %s fails whatever the tolerance', (bad) => {
    const loose: RankerProbe = { ...probe, tolerance: { fp32: { logit: 1e9 } } };
    const outcome = checkProbe(loose, 'fp32', 'wasm', { kind: 'ranker', logits: [0.5, bad, 2] });
    expect(outcome).toMatchObject({ passed: false, deviation: Infinity });
    expect(outcome.summary).toMatch(/NaN or Inf/);
  });

  it('fuser: first-step logits at the stored ids, every logit finite, greedy mismatches counted', () => {
    const fuser: FuserProbe = {
      kind: 'fuser',
      prompts: [[5, 1]],
      maxNewTokens: 3,
      greedy: [[0, 7, 8, 1]],
      firstStep: { ids: [[2, 0]], logits: [[3, 1]] },
      tolerance: { fp16: { logit: 0.2, tokenMismatches: 1 } },
    };
    const logits = Float32Array.from([1.1, 0, 3.1, -5]);
    const ok = checkProbe(fuser, 'fp16', 'wasm', { kind: 'fuser', greedy: [[0, 7, 9, 1]], firstLogits: [logits] });
    expect(ok).toMatchObject({ passed: true, tokenMismatches: { found: 1, allowed: 1 } });
    expect(ok.deviation).toBeCloseTo(0.1, 5);
    const tooMany = checkProbe(fuser, 'fp16', 'wasm', { kind: 'fuser', greedy: [[0, 6, 9]], firstLogits: [logits] });
    expect(tooMany).toMatchObject({ passed: false, tokenMismatches: { found: 3, allowed: 1 } });
    const nanElsewhere = Float32Array.from([1.1, 0, 3.1, NaN]);
    expect(checkProbe(fuser, 'fp16', 'wasm', { kind: 'fuser', greedy: [[0, 7, 8, 1]], firstLogits: [nanElsewhere] }).passed).toBe(false);
  });

  it('helpers: deviation and token mismatches', () => {
    expect(maxDeviation([1, 2], [1.5, 1])).toBe(1);
    expect(maxDeviation([1, 2], [1])).toBe(Infinity);
    expect(tokenMismatches([[0, 1, 2]], [[0, 1, 2, 3]])).toBe(0);
    expect(tokenMismatches([[0, 1, 2]], [[9]])).toBe(2);
  });
});

const ALL: Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
const noGpu: WebGpuProbe = { available: false, reason: 'no WebGPU adapter' };
const req = (over: Partial<BackendRequest>): BackendRequest => ({ device: 'auto', dtype: 'auto', webgpu: noGpu, available: ALL, ...over });
const ladderOf = (over: Partial<BackendRequest>) => {
  const request = req(over);
  const first = chooseBackend(request);
  return [first, ...fallbackLadder(request, first)].map((c) => `${c.backend}/${c.dtype}`);
};

describe('software adapters', () => {
  const names = (over: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>>) => ({
    vendor: '',
    architecture: '',
    device: '',
    description: '',
    ...over,
  });
  it.each<[string, ReturnType<typeof names>, boolean, string | undefined, string | null]>([
    ["Chromium's SwiftShader", names({ vendor: 'google', architecture: 'swiftshader' }), true, undefined, 'SwiftShader'],
    ['SwiftShader not flagged as fallback', names({ description: 'SwiftShader Device (Subzero)' }), false, undefined, 'SwiftShader'],
    ['Mesa llvmpipe', names({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), false, undefined, 'llvmpipe'],
    ['WARP', names({ description: 'Microsoft Basic Render Driver' }), false, undefined, 'WARP'],
    ['an unnamed fallback adapter', names({ vendor: 'acme' }), true, undefined, 'a fallback adapter'],
    ['a CPU-type adapter', names({ vendor: 'acme' }), false, 'CPU', 'a CPU adapter'],
    ['a discrete GPU', names({ vendor: 'nvidia', architecture: 'ampere' }), false, 'discrete GPU', null],
  ])('%s', (_name, adapterNames, fallback, type, expected) => {
    expect(softwareRenderer(adapterNames, fallback, type)).toBe(expected);
  });

  it("the probe reads it from the adapter's info", async () => {
    const adapter = {
      features: new Set<string>(),
      limits: { maxBufferSize: 1 },
      info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
    };
    const probe = await probeWebGpu({ gpu: { requestAdapter: async () => adapter } });
    expect(probe).toMatchObject({ available: true, adapter: { software: 'SwiftShader', isFallbackAdapter: true } });
  });
});

describe('the choice under auto', () => {
  it.each<[string, WebGpuProbe, string]>([
    ['SwiftShader', webGpuAdapter(false, 'SwiftShader'), 'WASM: the only WebGPU adapter is a software one (SwiftShader)'],
    ['a fallback adapter', webGpuAdapter(true, 'a fallback adapter'), 'WASM: the only WebGPU adapter is a software one (a fallback adapter)'],
  ])('a software adapter (%s) means WASM, with the reason', (_name, webgpu, reason) => {
    expect(chooseBackend(req({ webgpu }))).toEqual({ backend: 'wasm', dtype: 'q8', reason });
  });

  it('a software adapter still runs WebGPU when asked', () => {
    expect(chooseBackend(req({ webgpu: webGpuAdapter(false, 'SwiftShader'), device: 'webgpu' }))).toMatchObject({ backend: 'webgpu', dtype: 'q4' });
  });

  it.each<[string, Partial<BackendRequest>, string[]]>([
    ['GPU with f16: fp16, fp32, then WASM', { webgpu: webGpuAdapter(true) }, ['webgpu/fp16', 'webgpu/fp32', 'wasm/q8', 'wasm/fp32']],
    ['GPU without f16: q4, fp32, then WASM', { webgpu: webGpuAdapter(false) }, ['webgpu/q4', 'webgpu/fp32', 'wasm/q8', 'wasm/fp32']],
    ['no GPU: q8 then fp32', {}, ['wasm/q8', 'wasm/fp32']],
    ['only fp32: nothing safer', { available: ['fp32'] }, ['wasm/fp32']],
    ['no q8 on WASM: fp32 is its auto dtype', { webgpu: webGpuAdapter(true), available: ['fp32', 'fp16'] }, ['webgpu/fp16', 'webgpu/fp32', 'wasm/fp32']],
    ['explicit device: no ladder', { webgpu: webGpuAdapter(true), device: 'webgpu' }, ['webgpu/fp16']],
    ['explicit dtype: no ladder', { webgpu: webGpuAdapter(true), dtype: 'q4' }, ['webgpu/q4']],
    ['explicit wasm: no ladder', { device: 'wasm' }, ['wasm/q8']],
  ])('ladder: %s', (_name, over, rungs) => {
    expect(ladderOf(over)).toEqual(rungs);
  });
});

function memoryStorage(): KeyValueStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => data.get(key),
    set: async (key, value) => void data.set(key, value),
    del: async (key) => void data.delete(key),
    keys: async () => [...data.keys()],
  };
}

describe('choiceMemory', () => {
  it('remembers failures per model and adapter; forget(model) and forget() drop them, nothing else', async () => {
    const storage = memoryStorage();
    storage.data.set('meta|x', 1); // the cache's own keys are never touched
    const memory = choiceMemory(storage);
    const failure = { backend: 'wasm' as const, dtype: 'q8' as const, summary: 'q8 on wasm: max |Δlogit| 1 > 0.08' };
    await memory.remember('https://a/models/m/', noGpu, failure);
    await memory.remember('https://a/models/m', noGpu, failure); // same model, no duplicate
    await memory.remember('https://a/models/other', noGpu, failure);
    expect(await memory.failures('https://a/models/m', noGpu)).toEqual([failure]);
    expect(await memory.failures('https://a/models/m', webGpuAdapter(true))).toEqual([]);
    await memory.forget('https://a/models/m');
    expect(await memory.failures('https://a/models/m', noGpu)).toEqual([]);
    expect(await memory.failures('https://a/models/other', noGpu)).toEqual([failure]);
    await memory.forget();
    expect([...storage.data.keys()]).toEqual(['meta|x']);
  });

  it("the page's model cache forgets it: delete(model) that model's, clear() all", async () => {
    const storage = memoryStorage();
    const memory = choiceMemory(storage);
    const cache = modelCacheOver({ storage, baseUrl: 'https://a.example/app/' });
    const failure = { backend: 'wasm' as const, dtype: 'q8' as const, summary: 's' };
    await memory.remember('https://a.example/app/models/m', noGpu, failure);
    await memory.remember('https://a.example/app/models/n', webGpuAdapter(true), failure);
    await cache.delete('models/m'); // relative, as the blender resolves it
    expect(await memory.failures('https://a.example/app/models/m', noGpu)).toEqual([]);
    expect(await memory.failures('https://a.example/app/models/n', webGpuAdapter(true))).toEqual([failure]);
    await cache.clear();
    expect(await memory.failures('https://a.example/app/models/n', webGpuAdapter(true))).toEqual([]);
  });

  it('storage that fails costs only the memory', async () => {
    const broken: KeyValueStorage = {
      get: () => Promise.reject(new Error('blocked')),
      set: () => Promise.reject(new Error('blocked')),
      del: () => Promise.reject(new Error('blocked')),
      keys: () => Promise.reject(new Error('blocked')),
    };
    const memory = choiceMemory(broken);
    await memory.remember('m', noGpu, { backend: 'wasm', dtype: 'q8', summary: '' });
    expect(await memory.failures('m', noGpu)).toEqual([]);
    await memory.forget();
  });
});

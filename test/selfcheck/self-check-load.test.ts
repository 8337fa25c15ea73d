// The self-check at load, in both hosts, on the bundled tiny models with deliberately altered
// probe expectations: pages (the real loader and store, onnxruntime-node standing in for the
// web ORT's WASM) fall back under auto and remember it; explicit choices and Node refuse.
import { webcrypto } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { createBlender } from '../../src/node';
import type { OrtModuleLike, OrtSessionOptions } from '../../src/runtime/common/ort-sessions';
import { choiceMemory } from '../../src/runtime/web/choice-memory';
import type { KeyValueStorage } from '../../src/runtime/web/chunked-cache';
import type { LoadEvent } from '../../src/runtime/web/load-events';
import { ModelStore } from '../../src/runtime/web/model-store';
import { loadPageRanker } from '../../src/runtime/web/page-ranker';

const RANKER = 'public/models/tiny-pairrm';
const FUSER = 'public/models/tiny-fuser';
const URL_BASE = 'https://example.test/models/tiny-pairrm';
const noGpu = { available: false as const, reason: 'no WebGPU adapter' };
type Manifest = { probe?: { logits?: number[]; tolerance: Record<string, Record<string, number>>; first_step?: { logits: number[][] } } };
const original = (folder: string) => JSON.parse(readFileSync(`${folder}/manifest.json`, 'utf8')) as Manifest;

/** q8's tolerance cut to nothing: q8 fails, fp32 still passes. */
function q8Strict(): Manifest {
  const manifest = original(RANKER);
  manifest.probe!.tolerance['q8']!['logit'] = 1e-9;
  return manifest;
}
/** Every expected logit moved by 1: every variant fails. */
function allShifted(folder = RANKER): Manifest {
  const manifest = original(folder);
  if (manifest.probe!.logits) manifest.probe!.logits = manifest.probe!.logits.map((logit) => logit + 1);
  if (manifest.probe!.first_step) manifest.probe!.first_step.logits = manifest.probe!.first_step.logits.map((row) => row.map((logit) => logit + 1));
  return manifest;
}

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, unknown>();
  return { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v), del: async (k) => void map.delete(k), keys: async () => [...map.keys()] };
}

/** The real store over the folder on disk, with `manifest` served as its manifest.json. */
function storeServing(manifest: Manifest | Omit<Manifest, 'probe'>): ModelStore {
  return new ModelStore({
    storage: memoryStorage(),
    fetch: async (url) => {
      const path = url.slice(URL_BASE.length + 1);
      return new Response(path === 'manifest.json' ? JSON.stringify(manifest) : readFileSync(`${RANKER}/${path}`));
    },
    subtle: webcrypto.subtle as SubtleCrypto,
  });
}

/** onnxruntime-node as the web ORT's WASM provider; records which graph sizes were opened. */
function wasmOrt(): OrtModuleLike & { opened: number[] } {
  const opened: number[] = [];
  return {
    opened,
    Tensor: ortNode.Tensor,
    InferenceSession: {
      async create(model: Uint8Array | string, _options?: OrtSessionOptions) {
        if (typeof model !== 'string' && model.byteLength > 1024) opened.push(model.byteLength);
        return ortNode.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'] });
      },
    },
  };
}
const graphBytes = (file: string) => readFileSync(`${RANKER}/onnx/${file}`).byteLength;

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; argument?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isBlenderError(error)) return { code: error.code, argument: error.argument, message: error.message };
    throw error;
  }
  throw new Error('expected a BlenderError');
}

describe('pages: self-check after the warm-up', () => {
  it('passes on the bundled manifest and says so in info()', async () => {
    const ranker = await loadPageRanker(wasmOrt(), storeServing(original(RANKER)), {
      url: URL_BASE,
      device: 'auto',
      dtype: 'auto',
      webgpu: noGpu,
      onLoad: undefined,
    });
    const info = ranker.info();
    expect(info).toMatchObject({ backend: 'wasm', dtype: 'q8', selfCheck: { status: 'passed' } });
    expect(info.selfCheck.deviation!).toBeLessThanOrEqual(info.selfCheck.tolerance!);
    expect(info.selfCheck.ms).toBeGreaterThan(0);
    expect(info.pairCache).toMatchObject({ size: 0, hits: 0, misses: 0 }); // the probe never enters the pair cache
    await ranker.release();
  });

  it('a manifest without a probe loads as before: not self-checked', async () => {
    const { probe: _probe, ...bare } = original(RANKER);
    const ranker = await loadPageRanker(wasmOrt(), storeServing(bare), { url: URL_BASE, device: 'auto', dtype: 'auto', webgpu: noGpu, onLoad: undefined });
    expect(ranker.info().selfCheck).toEqual({ status: 'not self-checked', detail: 'its manifest.json has no probe' });
    await ranker.release();
  });

  it('auto: q8 fails, the ladder goes to fp32, says why, and the next load skips q8 and says so', async () => {
    const memory = choiceMemory(memoryStorage());
    const events: LoadEvent[] = [];
    const ort = wasmOrt();
    const request = { url: URL_BASE, device: 'auto', dtype: 'auto', webgpu: noGpu, onLoad: (event: LoadEvent) => events.push(event), memory } as const;
    const first = await loadPageRanker(ort, storeServing(q8Strict()), request);
    expect(first.info()).toMatchObject({ backend: 'wasm', dtype: 'fp32', selfCheck: { status: 'passed' } });
    expect(first.info().reason).toMatch(/^fp32 on WASM: q8 on WASM failed its self-check \(q8 on wasm: max \|Δlogit\| [\d.e-]+ > 1e-9\)$/);
    expect(events).toContainEqual(expect.objectContaining({ stage: 'fallback', from: 'wasm', to: 'wasm', fromDtype: 'q8', toDtype: 'fp32' }));
    expect(ort.opened).toEqual([graphBytes('model_quantized.onnx'), graphBytes('model.onnx')]);
    await first.release();

    const again = wasmOrt();
    const second = await loadPageRanker(again, storeServing(q8Strict()), { ...request, onLoad: undefined });
    expect(second.info()).toMatchObject({ dtype: 'fp32' });
    expect(second.info().reason).toMatch(/q8 on WASM failed its self-check on an earlier load .*remembered/);
    expect(again.opened).toEqual([graphBytes('model.onnx')]);
    await second.release();

    await memory.forget(URL_BASE);
    const forgotten = await loadPageRanker(wasmOrt(), storeServing(original(RANKER)), { ...request, onLoad: undefined });
    expect(forgotten.info().dtype).toBe('q8');
    await forgotten.release();
  });

  it.each([
    ['an explicit dtype', { device: 'auto', dtype: 'q8' }, q8Strict],
    ['an explicit device', { device: 'wasm', dtype: 'auto' }, q8Strict],
    ['auto, when every rung fails', { device: 'auto', dtype: 'auto' }, () => allShifted()],
  ] as const)('%s: NUMERICS_MISMATCH naming the variant, backend and deviation', async (_name, choice, manifest) => {
    const error = await errorOf(loadPageRanker(wasmOrt(), storeServing(manifest()), { url: URL_BASE, ...choice, webgpu: noGpu, onLoad: undefined }));
    expect(error).toMatchObject({ code: 'NUMERICS_MISMATCH', argument: 'options.ranker' });
    expect(error.message).toMatch(/(q8|fp32) on wasm: max \|Δlogit\| [\d.e-]+ > [\d.e-]+/);
  });
});

describe('Node: self-check on load', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A folder with every file of `folder` linked, and `manifest` as its manifest.json. */
  function folderWith(folder: string, manifest: Manifest): string {
    const dir = mkdtempSync(join(tmpdir(), 'self-check-'));
    dirs.push(dir);
    for (const name of readdirSync(folder)) if (name !== 'manifest.json') symlinkSync(resolve(folder, name), join(dir, name));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  }

  it('the bundled models pass; info() says so', async () => {
    const blender = await createBlender({ ranker: RANKER, fuser: FUSER, device: 'cpu' });
    const info = await blender.info();
    expect(info.ranker!.selfCheck).toMatchObject({ status: 'passed' });
    expect(info.fuser!.selfCheck).toMatchObject({ status: 'passed' });
    expect(info.ranker!.pairCache).toMatchObject({ size: 0 });
    await blender.dispose();
  });

  it.each([
    ['ranker', { ranker: RANKER }, /fp32 on cpu: max \|Δlogit\| 1 > /],
    ['fuser', { ranker: null, fuser: FUSER }, /fp32 on cpu: max \|Δfirst-step logit\| 1 > /],
  ] as const)('an altered %s folder is refused with NUMERICS_MISMATCH on device cpu', async (role, models, message) => {
    const folder = folderWith(role === 'ranker' ? RANKER : FUSER, allShifted(role === 'ranker' ? RANKER : FUSER));
    const options = role === 'ranker' ? { ...models, ranker: folder } : { ...models, fuser: folder };
    const error = await errorOf(createBlender({ ...options, device: 'cpu' }));
    expect(error).toMatchObject({ code: 'NUMERICS_MISMATCH', argument: `options.${role}` });
    expect(error.message).toMatch(message);
  });

  it('a folder without a probe loads: not self-checked', async () => {
    const { probe: _probe, ...bare } = original(RANKER);
    const blender = await createBlender({ ranker: folderWith(RANKER, bare), device: 'cpu' });
    expect((await blender.info()).ranker!.selfCheck.status).toBe('not self-checked');
    await blender.dispose();
  });
});

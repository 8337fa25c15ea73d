// The Chromium benchmark page (served by vite, cross-origin isolated): bench/chromium-runner.mjs
// drives it through `window.bench`. Raw throughput runs in a dedicated worker per thread
// count; loads and `rank` go through the library's public API (createBlender), as a page would.
import { createBlender, type BrowserBlender, type Dtype, type RankOptions } from '../../src/client/index';
import { probeWebGpu } from '../../src/runtime/web/webgpu-probe';
import { timeIdbRead } from './idb-read';
import { ModelStore } from '../../src/runtime/web/model-store';
import { indexedDbStorage } from '../../src/runtime/web/idb-storage';
import type { CompareReply, CompareRequest, ThroughputReply, ThroughputRequest, WarmPhasesReply, WarmPhasesRequest } from './protocol';

let blender: BrowserBlender | null = null;

/** One request to a fresh worker (a fresh ORT instance), one reply, then the worker goes. */
function askWorker<Reply>(worker: Worker, request: unknown): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Reply>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`bench worker failed: ${event.message}`));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

const throughput = (request: ThroughputRequest) =>
  askWorker<ThroughputReply>(new Worker(new URL('./throughput.worker.ts', import.meta.url), { type: 'module', name: 'bench-throughput' }), request);

/** `plain`: onnxruntime-web's WASM-only build instead of the page runtime's. */
const compareOptions = (request: CompareRequest, plain = false) =>
  askWorker<CompareReply>(
    plain
      ? new Worker(new URL('./compare-plain.worker.ts', import.meta.url), { type: 'module', name: 'bench-compare-plain' })
      : new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module', name: 'bench-compare' }),
    request,
  );

/** Stores a model file in the IndexedDB database `dbName` (layout of the model store), for warmPhases. */
async function fillStore(dbName: string, model: string, path: string): Promise<number> {
  const store = new ModelStore({ storage: indexedDbStorage(dbName, 'models'), fetch: (url, init) => fetch(url, init), subtle: crypto.subtle });
  return (await store.file(model, path)).byteLength;
}

/** One warm-load round, phase by phase, in a fresh worker (bench/page/warm-phases-core.ts). */
const warmPhases = (request: WarmPhasesRequest) =>
  askWorker<WarmPhasesReply>(
    request.build === 'plain'
      ? new Worker(new URL('./warm-phases-plain.worker.ts', import.meta.url), { type: 'module', name: 'bench-warm-plain' })
      : new Worker(new URL('./warm-phases.worker.ts', import.meta.url), { type: 'module', name: 'bench-warm' }),
    request,
  );

/**
 * Opens the ranker through createBlender; `cold` empties its cache entry first. `pairCache`
 * is createBlender's (entries; 0 = off, as the strategies benchmark times every pass).
 */
async function load(model: string, dtype: Dtype, cold: boolean, pairCache?: number) {
  await blender?.dispose();
  blender = null;
  if (cold) {
    const cleaner = await createBlender({ ranker: null });
    await cleaner.cache.delete(model);
    await cleaner.dispose();
  }
  const started = performance.now();
  blender = await createBlender({ ranker: model, device: 'wasm', dtype, ...(pairCache === undefined ? {} : { pairCache }) });
  const wallMs = performance.now() - started;
  const info = await blender.info();
  return { wallMs, timings: info.ranker?.timings ?? null, wasm: info.wasm, file: info.ranker?.files[0] ?? null };
}

async function rank(input: string, candidates: string[], options: RankOptions, runs: number) {
  if (!blender) throw new Error('load a ranker first');
  const times: number[] = [];
  let passes = 0;
  for (let run = 0; run < runs; run++) {
    const before = (await blender.info()).ranker?.passes ?? 0;
    const started = performance.now();
    await blender.rank([input], [candidates], options);
    times.push(performance.now() - started);
    passes = ((await blender.info()).ranker?.passes ?? 0) - before;
  }
  return { times, passes };
}

async function dispose(): Promise<void> {
  await blender?.dispose();
  blender = null;
}

const bench = {
  throughput,
  compareOptions,
  fillStore,
  warmPhases,
  load,
  rank,
  dispose,
  idbRead: timeIdbRead,
  probeWebGpu: () => probeWebGpu(navigator),
  environment: () => ({ crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent }),
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
document.querySelector('#status')!.textContent = 'ready';

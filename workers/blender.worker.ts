/// <reference lib="webworker" />
// The worker that hosts the engine in pages. Everything heavy (ORT sessions, model bytes,
// tokenizers) lives here so the page never blocks; the page talks to it through Comlink
// (the contract is src/client/protocol.ts).
import * as Comlink from 'comlink';
import type { BrowserInfo, WireCreateOptions, WireResult, WorkerApi } from '../src/client/protocol';
import { abortedError, BlenderError } from '../src/engine/errors';
import { rankAndFuse } from '../src/engine/rank-and-fuse';
import type { ComputeProgress, FuseOptions, RankAndFuseOptions, Ranker } from '../src/engine/types';
import { adapterName } from '../src/runtime/web/backend-choice';
import { choiceMemory } from '../src/runtime/web/choice-memory';
import { DeviceLossWatch, reloadedAfterLoss } from '../src/runtime/web/device-loss';
import { indexedDbStorage } from '../src/runtime/web/idb-storage';
import { ModelStore, type ModelLock } from '../src/runtime/web/model-store';
import { opfsRootOf } from '../src/runtime/web/opfs-handles';
import { chooseOrtBuild } from '../src/runtime/web/ort-build';
import { loadOrt, type LoadedOrt } from '../src/runtime/web/ort-web';
// Types only: these modules import transformers.js, which must not load before loadOrt()
// has registered the worker's ORT. They are imported dynamically in init().
import type { PageFuser } from '../src/runtime/web/page-fuser';
import type { PageRanker } from '../src/runtime/web/page-ranker';
import { chooseWasmThreads } from '../src/runtime/web/wasm-threads';
import { probeWebGpu, type WebGpuProbe } from '../src/runtime/web/webgpu-probe';
import { Deliveries } from './deliveries';
import { toWireError, type WireMethod } from './wire-error';

// One download of a model per origin at a time: other tabs wait, then read the cache.
const locks = (navigator as Navigator & { locks?: LockManager }).locks;
const modelLock: ModelLock | undefined = locks ? (name, work, signal) => locks.request(name, signal ? { signal } : {}, work) : undefined;
const storage = indexedDbStorage('llm-blender-web', 'models');
const store = new ModelStore({
  storage,
  // Model files go to the Origin Private File System where it works here (probed once), else IndexedDB.
  opfs: opfsRootOf(navigator.storage),
  fetch: (url, init) => fetch(url, init),
  subtle: crypto.subtle,
  storageManager: navigator.storage,
  lock: modelLock,
});

// Self-check failures per model and adapter, beside the cache (forgotten with it).
const memory = choiceMemory(storage);

const wasm = chooseWasmThreads({ crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency });

let webgpu: WebGpuProbe | null = null;
/** This worker's one ORT, chosen and loaded by init() (a worker serves one createBlender load). */
let runtime: LoadedOrt | null = null;
let ranker: PageRanker | null = null;
let fuser: PageFuser | null = null;
const running = new Map<number, AbortController>();
/** What init() was asked, for a reload after the WebGPU device was lost. */
let initOptions: WireCreateOptions | null = null;
// A lost WebGPU device (src/runtime/web/device-loss.ts): running calls reject with DEVICE_LOST
// at once and stop; the next call reloads the models that ran on it on WASM.
const deviceLoss = new DeviceLossWatch();
deviceLoss.onLost((error) => {
  for (const controller of running.values()) controller.abort(error);
});
let reloading: Promise<void> | null = null;

const onWebGpu = () => ranker?.info().backend === 'webgpu' || fuser?.info().backend === 'webgpu';

/** After a device loss: the models that ran on WebGPU again, on WASM (once; a failed reload is retried by the next call). */
function reloadIfLost(): Promise<void> {
  const reason = deviceLoss.reason;
  if (reason === null || !initOptions || !runtime || !webgpu || !onWebGpu()) return Promise.resolve();
  const [options, ort, probe] = [initOptions, runtime.ort, webgpu];
  reloading ??= (async () => {
    const request = { device: 'wasm' as const, dtype: options.dtype, webgpu: probe, onLoad: undefined, memory };
    if (options.ranker && ranker?.info().backend === 'webgpu') {
      const { loadPageRanker } = await import('../src/runtime/web/page-ranker');
      const lost = ranker;
      ranker = reloadedAfterLoss(await loadPageRanker(ort, store, { url: options.ranker, ...request }, options.pairCache), reason);
      void lost.release().catch(() => undefined); // its device is gone: releasing may fail or never end
    }
    if (options.fuser && fuser?.info().backend === 'webgpu') {
      const { loadPageFuser } = await import('../src/runtime/web/page-fuser');
      const lost = fuser;
      fuser = reloadedAfterLoss(await loadPageFuser(store, { url: options.fuser, ...request }), reason);
      void lost.release().catch(() => undefined);
    }
  })().finally(() => {
    reloading = null;
  });
  return reloading;
}

async function wire<T>(method: WireMethod, work: () => T | Promise<T>): Promise<WireResult<T>> {
  try {
    return { value: await work() };
  } catch (error) {
    return { error: toWireError(error, method) };
  }
}

/** Releases the page's end of a Comlink proxy (its MessagePort) once the worker is done with it. */
function release(callback: unknown): void {
  (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
}

/**
 * Loads the ORT build for the caller's backend: the plain WASM build when WebGPU will not be
 * used, the WebGPU-capable one otherwise. A model that then fails on WebGPU and falls back
 * to WASM (src/runtime/web/backend-fallback.ts) runs on the WebGPU-capable build already loaded:
 * it has the WASM execution provider too, and a worker cannot swap the ORT that
 * transformers.js has captured.
 */
async function loadRuntime(options: WireCreateOptions, probe: WebGpuProbe): Promise<LoadedOrt> {
  const build = chooseOrtBuild({ device: options.device, dtype: options.dtype, webgpu: probe });
  return await loadOrt(build, { numThreads: wasm.threads, wasmUrl: options.wasmUrl, wasmUrlOption: options.wasmUrlOption });
}

function requireRuntime(): LoadedOrt {
  if (!runtime) throw new Error('info() was called before init()');
  return runtime;
}

function requireFuser(): PageFuser {
  if (!fuser) throw new BlenderError('FUSER_NOT_LOADED', 'no fuser is loaded: pass createBlender({ fuser: url })', 'options.fuser');
  return fuser;
}

function requireRanker(): Ranker {
  if (!ranker) throw new BlenderError('RANKER_NOT_LOADED', 'no ranker is loaded: pass createBlender({ ranker: url })', 'options.ranker');
  return ranker.model.engine;
}

const workerApi: WorkerApi = {
  holdLifeLock(name) {
    return new Promise<void>((resolve) => {
      void navigator.locks.request(name, () => {
        resolve();
        return new Promise<never>(() => {}); // held until this worker is gone
      });
    });
  },

  init(options, onLoad) {
    const deliveries = new Deliveries();
    const report = onLoad && deliveries.to(onLoad);
    return wire('init', async () => {
      try {
        webgpu = await probeWebGpu(navigator);
        runtime = await loadRuntime(options, webgpu);
        // Only now may transformers.js load: it captures the ORT registered above.
        if (options.ranker) {
          const { loadPageRanker } = await import('../src/runtime/web/page-ranker');
          ranker = await loadPageRanker(
            runtime.ort,
            store,
            { url: options.ranker, device: options.device, dtype: options.dtype, webgpu, onLoad: report, memory },
            options.pairCache,
          );
        }
        if (options.fuser) {
          const { loadPageFuser } = await import('../src/runtime/web/page-fuser');
          fuser = await loadPageFuser(store, { url: options.fuser, device: options.device, dtype: options.dtype, webgpu, onLoad: report, memory });
        }
        initOptions = options;
        if (onWebGpu()) await deviceLoss.watch(runtime.ort);
      } finally {
        // Failed or not, createBlender settles after the last load event was in the page.
        await deliveries.settled();
      }
    }).finally(() => release(onLoad));
  },

  call(callId, method, args, options, listeners, onEvent) {
    const controller = new AbortController();
    running.set(callId, controller);
    const deliveries = new Deliveries();
    const send = onEvent && deliveries.to(onEvent);
    const onProgress = send && listeners.progress ? (progress: ComputeProgress) => send({ kind: 'progress', progress }) : undefined;
    const onToken = send && listeners.token ? (inputIndex: number, text: string) => send({ kind: 'token', inputIndex, text }) : undefined;
    return wire('call', async () => {
      try {
        await reloadIfLost();
        // The page keeps the caller's AbortSignal; this one fires on its abort(callId).
        const callOptions =
          options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options))
            ? { ...options, signal: controller.signal, ...(onProgress ? { onProgress } : {}), ...(onToken ? { onToken } : {}) }
            : options;
        // Shapes are unchecked here: the engines validate their arguments.
        const [inputs, candidates] = args as [string[], string[][]];
        const work = (): Promise<unknown> => {
          if (method === 'fuse') return requireFuser().model.engine.fuse(inputs, candidates, callOptions as FuseOptions);
          if (method === 'rankAndFuse') {
            const fusion = requireFuser().model.engine;
            return rankAndFuse(requireRanker(), fusion, inputs, candidates, callOptions as RankAndFuseOptions);
          }
          const engine = requireRanker();
          // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `engine` as `this` just below
          const run = engine[method] as (...params: unknown[]) => Promise<unknown>;
          return run.call(engine, ...args, callOptions);
        };
        // On WebGPU, a lost device rejects the call at once (its runs may never come back).
        return onWebGpu() ? await deviceLoss.race(work()) : await work();
      } finally {
        // Resolved or rejected, the call settles in the page after its last callback ran.
        await deliveries.settled();
      }
    }).finally(() => {
      running.delete(callId);
      release(onEvent);
    });
  },

  abort(callId: number) {
    running.get(callId)?.abort(abortedError());
  },

  info() {
    return wire('info', async (): Promise<BrowserInfo> => {
      const probe = webgpu ?? (webgpu = await probeWebGpu(navigator));
      const { ort, build, wasmUrl } = requireRuntime();
      const loaded = ranker?.info() ?? null;
      return {
        backend: loaded?.backend ?? (probe.available ? 'webgpu' : 'wasm'),
        reason: loaded?.reason ?? (probe.available ? `WebGPU (${adapterName(probe)})` : `WASM: ${probe.reason}`),
        webgpu: probe,
        crossOriginIsolated: self.crossOriginIsolated,
        wasm,
        ortVersion: ort.env.versions.web ?? 'unknown',
        ortBuild: build,
        ortWasmUrl: new URL(wasmUrl, self.location.href).href,
        workerUrl: self.location.href,
        modelStore: await store.chosenStore(),
        ranker: loaded,
        fuser: fuser?.info() ?? null,
      };
    });
  },

  cacheList: () => wire('cacheList', () => store.list()),
  cacheUsage: () => wire('cacheUsage', () => store.usage()),
  cacheDelete: (model: string) =>
    wire('cacheDelete', async () => {
      await store.delete(model);
      await memory.forget(model);
    }),
  cacheClear: () =>
    wire('cacheClear', async () => {
      await store.clear();
      await memory.forget();
    }),

  async dispose() {
    for (const controller of running.values()) controller.abort();
    await ranker?.release();
    ranker = null;
    await fuser?.release();
    fuser = null;
  },
};

Comlink.expose(workerApi);

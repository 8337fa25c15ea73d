/**
 * The worker's onnxruntime-web: one build, loaded once, with its wasm and glue files from
 * this origin, never from a public CDN: by default the files beside the worker's module (the
 * `?url` imports below, which the published build turns into `new URL('./file', import.meta.url)`
 * so that any bundler copies them; tools/build/browser.mjs), or the folder the page named with
 * `wasmUrl` / `assetsUrl` (src/client/asset-urls.ts). transformers.js is told to
 * use this same instance, so one wasm serves both the ranker and the fuser.
 *
 * transformers.js takes the instance registered at `Symbol.for('onnxruntime')` when its
 * module is evaluated, and keeps it. So `loadOrt` must settle before anything imports
 * `@huggingface/transformers` (in the worker: src/runtime/web/page-ranker.ts and
 * src/runtime/web/page-fuser.ts are imported dynamically, after it).
 */
import type * as OrtTypes from 'onnxruntime-web';
import * as webgpuOrt from 'onnxruntime-web/webgpu';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { OrtBuild } from './ort-build';
import { checkServedFiles } from './served-files';

export type OrtWeb = typeof OrtTypes;

export interface LoadedOrt {
  ort: OrtWeb;
  build: OrtBuild;
  /** The wasm binary this build fetches (relative to the worker until resolved). */
  wasmUrl: string;
  mjsUrl: string;
}

export interface OrtWebOptions {
  /** ORT reads it once, when its wasm starts: set here, before the first session. */
  numThreads: number;
  /** A folder (absolute, ending in `/`) holding the files of ORT_FILES; absent or null: the bundled ones. */
  wasmUrl?: string | null;
  /** The createBlender option that named `wasmUrl`, for errors (default `options.wasmUrl`). */
  wasmUrlOption?: string | null;
}

/** Each build's wasm binary and the Emscripten glue that loads it, as onnxruntime-web names them. */
export const ORT_FILES: Record<OrtBuild, { wasm: string; mjs: string }> = {
  wasm: { wasm: 'ort-wasm-simd-threaded.wasm', mjs: 'ort-wasm-simd-threaded.mjs' },
  webgpu: { wasm: 'ort-wasm-simd-threaded.asyncify.wasm', mjs: 'ort-wasm-simd-threaded.asyncify.mjs' },
};

// Each build's JavaScript bundle comes with its own wasm and glue: mixing them fails.
// The WebGPU bundle is imported statically: transformers.js imports it statically too (and
// evaluates it whichever instance it is given), so a dynamic import would save nothing.
// The plain one is only fetched by workers that use it.
const BUILDS: Record<OrtBuild, { load: () => Promise<OrtWeb>; wasm: string; mjs: string }> = {
  wasm: { load: () => import('onnxruntime-web/wasm'), wasm: plainWasmUrl, mjs: plainMjsUrl },
  webgpu: { load: async () => webgpuOrt, wasm: asyncifyWasmUrl, mjs: asyncifyMjsUrl },
};

const ORT_SYMBOL = Symbol.for('onnxruntime');
let loading: { build: OrtBuild; ort: Promise<LoadedOrt> } | null = null;

/**
 * Loads `build` and registers it for transformers.js. A worker has one ORT: a second call
 * gets the same instance, and asking for the other build then is a bug, so it throws.
 */
export function loadOrt(build: OrtBuild, options: OrtWebOptions): Promise<LoadedOrt> {
  if (loading) {
    if (loading.build !== build) {
      return Promise.reject(new Error(`onnxruntime-web's ${loading.build} build is already loaded; a worker holds one build`));
    }
    return loading.ort;
  }
  const { load } = BUILDS[build];
  const { wasm, mjs } =
    options.wasmUrl == null ? BUILDS[build] : { wasm: options.wasmUrl + ORT_FILES[build].wasm, mjs: options.wasmUrl + ORT_FILES[build].mjs };
  // Files the page says it serves are checked first; the bundled ones are the app bundler's.
  const served =
    options.wasmUrl == null ? Promise.resolve() : checkServedFiles([wasm, mjs], options.wasmUrlOption ?? 'options.wasmUrl', (url, init) => fetch(url, init));
  const loaded = served.then(load).then((module): LoadedOrt => {
    // Both paths are needed: without `mjs`, ORT's pthread workers would load the app
    // bundle and a production build hangs with more than one thread.
    module.env.wasm.wasmPaths = { wasm, mjs };
    module.env.wasm.numThreads = options.numThreads;
    // transformers.js picks up an ORT instance registered here instead of importing its
    // own (and instead of pointing wasmPaths at a CDN).
    (globalThis as Record<symbol, unknown>)[ORT_SYMBOL] = module;
    return { ort: module, build, wasmUrl: wasm, mjsUrl: mjs };
  });
  loading = { build, ort: loaded };
  return loaded;
}

import type { OrtBuild } from './ort-build';
import type { WasmThreads } from './wasm-threads';
import type { WebGpuProbe } from './webgpu-probe';

/** What the page's runtime found and chose; returned by the worker's `info()`. */
export interface RuntimeInfo {
  /** The backend models run on (or would run on, before any model is loaded). */
  backend: 'webgpu' | 'wasm';
  /** Why that backend: the adapter used, or what ruled WebGPU out. */
  reason: string;
  webgpu: WebGpuProbe;
  crossOriginIsolated: boolean;
  wasm: WasmThreads;
  /** onnxruntime-web's version, the one instance shared with transformers.js. */
  ortVersion: string;
  /**
   * The onnxruntime-web build the worker loaded: `wasm` (the plain CPU build) when its
   * backend is WASM, `webgpu` (WebGPU-capable, asyncify) when WebGPU may be used. A model
   * that falls back from WebGPU to WASM stays on the `webgpu` build.
   */
  ortBuild: OrtBuild;
  /**
   * Where that build's wasm binary is loaded from: `ort-wasm-simd-threaded.wasm` or
   * `ort-wasm-simd-threaded.asyncify.wasm` beside the worker (hashed by some bundlers), or in
   * the folder named by createBlender's `wasmUrl` / `assetsUrl`.
   */
  ortWasmUrl: string;
  /** The worker script this blender runs in (the package's own, or `workerUrl` / `assetsUrl`'s). */
  workerUrl: string;
}

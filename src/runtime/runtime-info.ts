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
  /** Where ORT's wasm binary is loaded from: always this origin. */
  ortWasmUrl: string;
}

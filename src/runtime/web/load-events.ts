/**
 * What a page reports while it loads a model (createBlender's `onProgress`), and what it
 * knows about the loaded model afterwards. Shared by the page loaders, the worker and the
 * page entry, so it lives below all three.
 */
import type { Dtype } from '../common/dtypes';
import type { ModelInfo, ModelRole, ModelTimings } from '../common/model-info';
import type { StoreEvent } from './model-store';

/** The backends a page runs models on. */
export type PageBackend = 'webgpu' | 'wasm';

/** Progress of loading a model: bytes from the network or the cache, then session creation. */
export type LoadEvent =
  | (StoreEvent & { role: ModelRole })
  | { stage: 'session'; role: ModelRole; backend: PageBackend; dtype: Dtype; status: 'creating' | 'ready' }
  /**
   * `device: 'auto'` moved on: WebGPU could not load or run the model, or the choice failed
   * its self-check (the fallback ladder, backend-choice.ts); `reason` says which and why.
   */
  | { stage: 'fallback'; role: ModelRole; from: PageBackend; to: PageBackend; fromDtype: Dtype; toDtype: Dtype; reason: string };

export interface PageModelTimings extends ModelTimings {
  /** Fetching, or reading back from the cache, the model's files. */
  downloadMs: number;
  /** Creating the ONNX sessions. */
  sessionMs: number;
  /** The warm-up run right after loading (shader compilation on WebGPU). */
  firstRunMs: number;
}

export interface PageModelInfo extends ModelInfo {
  backend: PageBackend;
  timings: PageModelTimings;
}

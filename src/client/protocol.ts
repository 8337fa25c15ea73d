/**
 * The typed contract between the page (src/client) and the worker (workers/): what crosses
 * Comlink. Callbacks cross as Comlink proxies; AbortSignals cannot cross, so the page sends
 * `abort(callId)` instead; errors cross as data (Comlink would keep only their message).
 */
import type { BlenderErrorCode } from '../engine/errors';
import type { Ranker } from '../engine/types';
import type { PageDevice, Dtype } from '../runtime/web/backend-choice';
import type { CachedModel, StoreEvent, StoreUsage } from '../runtime/web/model-store';
import type { RuntimeInfo } from '../runtime/web/runtime-info';

/** Engine methods the worker runs on the page's behalf. */
export type EngineMethod = keyof Ranker | 'fuse' | 'rankAndFuse';

export interface WireError {
  code: BlenderErrorCode;
  message: string;
  argument: string | undefined;
}

/**
 * A method's outcome. One object type, not a union: Comlink's types would turn a union into
 * a union of promises that no generic helper can take.
 */
export interface WireResult<T> {
  value?: T;
  error?: WireError;
}

/** createBlender's options as sent to the worker: model URLs already absolute. */
export interface WireCreateOptions {
  ranker: string | null;
  fuser: string | null;
  device: PageDevice;
  dtype: Dtype | 'auto';
}

/** Progress of loading a model: bytes from the network or the cache, then session creation. */
export type LoadEvent =
  | (StoreEvent & { role: 'ranker' | 'fuser' })
  | { stage: 'session'; role: 'ranker' | 'fuser'; backend: 'webgpu' | 'wasm'; dtype: Dtype; status: 'creating' | 'ready' }
  | { stage: 'fallback'; role: 'ranker' | 'fuser'; from: 'webgpu'; to: 'wasm'; reason: string };

export interface LoadedModelInfo {
  source: string;
  file: string;
  backend: 'webgpu' | 'wasm';
  dtype: Dtype;
  /** Why this backend and dtype (including what was fallen back from). */
  reason: string;
  /** Milliseconds: fetching (or reading back) the weights, creating the session, the warm-up pass, all of it. */
  timings: { downloadMs: number; sessionMs: number; firstRunMs: number; loadMs: number };
  passes: number;
  computeMs: number;
}

export interface BrowserInfo extends RuntimeInfo {
  ranker: LoadedModelInfo | null;
  fuser: LoadedModelInfo | null;
}

/** What the worker exposes through Comlink. */
export interface WorkerApi {
  /** Takes the Web Lock `name` and keeps it until the worker dies; resolves once held. */
  holdLifeLock(name: string): Promise<void>;
  init(options: WireCreateOptions, onLoad: ((event: LoadEvent) => void) | undefined): Promise<WireResult<void>>;
  /**
   * Runs an engine method. The callbacks are separate arguments because Comlink proxies
   * only top-level arguments (a proxy inside an object would fail to clone).
   */
  call(
    callId: number,
    method: EngineMethod,
    args: unknown[],
    options: Record<string, unknown>,
    onProgress: ((progress: unknown) => void) | undefined,
    onToken: ((inputIndex: number, text: string) => void) | undefined,
  ): Promise<WireResult<unknown>>;
  abort(callId: number): void;
  info(): Promise<WireResult<BrowserInfo>>;
  cacheList(): Promise<WireResult<CachedModel[]>>;
  cacheUsage(): Promise<WireResult<StoreUsage>>;
  cacheDelete(model: string): Promise<WireResult<void>>;
  cacheClear(): Promise<WireResult<void>>;
  dispose(): Promise<void>;
}

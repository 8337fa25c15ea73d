/**
 * Browser entry of llm-blender-web: `createBlender` spawns the worker that hosts the engine
 * and returns the same API as the Node entry. The page's thread never runs a model.
 */
import * as Comlink from 'comlink';
import { BlenderError } from '../engine/errors';
import { bestOfN } from '../engine/best-of-n';
import type {
  BestOfNOptions,
  BestOfNResult,
  Blender,
  CompareConversationsOptions,
  CompareOptions,
  Conversation,
  FuseOptions,
  RankAndFuseOptions,
  RankAndFuseResult,
  RankOptions,
  RankWithRefOptions,
} from '../engine/types';
import { checkFunctionOption, checkSignalOption } from '../engine/validate';
import type { Dtype, PageDevice } from '../runtime/web/backend-choice';
import type { ModelCache } from './model-cache';
import type { BrowserInfo, EngineMethod, LoadEvent, WireCreateOptions } from './protocol';
import { nameUncloneable } from './uncloneable';
import { unwrap, WorkerConnection, type WorkerFactory } from './worker-connection';

export * from '../engine/index';
export type { BrowserInfo, LoadEvent, LoadedModelInfo } from './protocol';
export type { RuntimeInfo } from '../runtime/web/runtime-info';
export type { WebGpuProbe, WebGpuAdapterInfo } from '../runtime/web/webgpu-probe';
export type { WasmThreads } from '../runtime/web/wasm-threads';
export type { PageDevice, Dtype } from '../runtime/web/backend-choice';
export type { CachedModel, StoreUsage } from '../runtime/web/model-store';
export { openModelCache, type ModelCache } from './model-cache';

export interface BrowserBlenderOptions {
  /** URL of a ranker model folder (relative to the page or absolute), or null for none. */
  ranker?: string | null;
  /** URL of a fuser model folder, or null for none. */
  fuser?: string | null;
  /** `auto` (default): WebGPU when an adapter can run the model, else WASM. */
  device?: PageDevice;
  /** `auto` (default): fp16 or q4 on WebGPU, q8 on WASM, among the model's variants. */
  dtype?: Dtype | 'auto';
  /** Model loading progress: downloads, cache hits and misses, session creation, fallbacks. */
  onProgress?: (event: LoadEvent) => void;
  /**
   * Aborts loading (download, session creation): createBlender rejects with `ABORTED` and
   * its worker is stopped. Nothing half-downloaded is ever served from the cache.
   */
  signal?: AbortSignal;
}

export interface BrowserBlender extends Blender<BrowserInfo> {
  readonly cache: ModelCache;
}

const OPTION_KEYS = ['ranker', 'fuser', 'device', 'dtype', 'onProgress', 'signal'];
const DEVICES: readonly PageDevice[] = ['auto', 'webgpu', 'wasm'];
const DTYPES: ReadonlyArray<Dtype | 'auto'> = ['auto', 'fp32', 'fp16', 'q8', 'q4'];

const spawnBlenderWorker: WorkerFactory = () =>
  new Worker(new URL('../../workers/blender.worker.ts', import.meta.url), { type: 'module', name: 'llm-blender' });

export async function createBlender(options: BrowserBlenderOptions = {}): Promise<BrowserBlender> {
  const wire = readCreateOptions(options);
  const onProgress = checkFunctionOption<(event: LoadEvent) => void>(options.onProgress, 'onProgress');
  const signal = checkSignalOption(options.signal);
  if (signal?.aborted) throw abortedError(signal);
  const blender = new WorkerBlender(wire, onProgress, spawnBlenderWorker);
  await blender.connection(signal);
  return blender;
}

class WorkerBlender implements BrowserBlender {
  private current: Promise<WorkerConnection> | null = null;
  private disposed = false;
  private nextCallId = 1;

  readonly cache: ModelCache = {
    list: async () => unwrap(await this.track((remote) => remote.cacheList())),
    delete: async (model) => {
      if (typeof model !== 'string' || model.trim() === '') {
        throw new BlenderError('INVALID_ARGUMENT', 'cache.delete takes a model folder URL (a non-empty string)', 'model');
      }
      return unwrap(await this.track((remote) => remote.cacheDelete(resolveModelUrl(model))));
    },
    clear: async () => unwrap(await this.track((remote) => remote.cacheClear())),
    usage: async () => unwrap(await this.track((remote) => remote.cacheUsage())),
  };

  constructor(
    private readonly options: WireCreateOptions,
    private readonly onProgress: ((event: LoadEvent) => void) | undefined,
    private readonly createWorker: WorkerFactory,
  ) {}

  /** The live worker, or a fresh one when the last one died. `signal` aborts starting one. */
  connection(signal?: AbortSignal): Promise<WorkerConnection> {
    if (this.disposed) return Promise.reject(new BlenderError('DISPOSED', 'the blender was disposed; create a new one'));
    const live = this.current;
    if (live) {
      return live.then((connection) => (connection.alive ? connection : this.restart()));
    }
    return this.restart(signal);
  }

  private restart(signal?: AbortSignal): Promise<WorkerConnection> {
    const started = WorkerConnection.start(this.createWorker, this.options, this.onProgress, signal);
    this.current = started;
    started.catch(() => {
      // A failed start is not cached: the next call tries again.
      if (this.current === started) this.current = null;
    });
    return started;
  }

  private async track<T>(work: (remote: WorkerConnection['remote']) => Promise<T>): Promise<T> {
    const connection = await this.connection();
    return connection.track(work(connection.remote));
  }

  rank(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: RankOptions) {
    return this.invoke('rank', [inputs, candidates], options) as Promise<number[][]>;
  }

  compare(inputs: readonly string[], candidatesA: readonly string[], candidatesB: readonly string[], options?: CompareOptions) {
    return this.invoke('compare', [inputs, candidatesA, candidatesB], options) as Promise<boolean[] | number[]>;
  }

  compareConversations(a: readonly Conversation[], b: readonly Conversation[], options?: CompareConversationsOptions) {
    return this.invoke('compareConversations', [a, b], options) as Promise<boolean[] | number[]>;
  }

  rankWithRef(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: RankWithRefOptions) {
    return this.invoke('rankWithRef', [inputs, candidates], options) as Promise<number[][]>;
  }

  fuse(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: FuseOptions) {
    return this.invoke('fuse', [inputs, candidates], options) as Promise<string[]>;
  }

  rankAndFuse(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: RankAndFuseOptions) {
    return this.invoke('rankAndFuse', [inputs, candidates], options) as Promise<RankAndFuseResult>;
  }

  /** Runs here: `generate` is the page's own function; only the ranking goes to the worker. */
  bestOfN(prompts: readonly string[], options: BestOfNOptions): Promise<BestOfNResult> {
    return bestOfN(this, prompts, options);
  }

  async info(): Promise<BrowserInfo> {
    return unwrap(await this.track((remote) => remote.info()));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const live = this.current;
    this.current = null;
    const connection = await live?.catch(() => null);
    // Calls still running end now, with the reason, whatever the worker does next.
    connection?.rejectPending(new BlenderError('DISPOSED', 'the blender was disposed during this call'));
    if (connection?.alive) {
      await Promise.race([connection.remote.dispose(), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(() => undefined);
    }
    connection?.terminate();
  }

  /**
   * Runs an engine method in the worker. The AbortSignal stays here (it cannot cross):
   * aborting rejects at once and tells the worker to stop after its current batch.
   * Callbacks cross as Comlink proxies.
   */
  private async invoke(method: EngineMethod, args: unknown[], options: unknown): Promise<unknown> {
    const { signal, onProgress, onToken, rest } = splitOptions(options);
    if (signal?.aborted) throw abortedError(signal);
    const connection = await this.connection();
    const callId = this.nextCallId++;
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const token = onToken ? Comlink.proxy(onToken) : undefined;
    const work = connection
      .track(connection.remote.call(callId, method, args, rest, progress, token))
      .catch((error: unknown) => {
        throw nameUncloneable(error, method, args, rest);
      })
      .then(unwrap);
    if (!signal) return work;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        void connection.remote.abort(callId);
        reject(abortedError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

/** Takes the options that cannot be cloned out of an options object; the engine checks the rest. */
function splitOptions(options: unknown): {
  signal: AbortSignal | undefined;
  onProgress: ((progress: unknown) => void) | undefined;
  onToken: ((inputIndex: number, text: string) => void) | undefined;
  rest: Record<string, unknown>;
} {
  if (options === undefined || options === null || typeof options !== 'object' || Array.isArray(options)) {
    // Not an options object: let the engine name the problem.
    return { signal: undefined, onProgress: undefined, onToken: undefined, rest: options as Record<string, unknown> };
  }
  const { signal, onProgress, onToken, ...rest } = options as Record<string, unknown>;
  return {
    signal: checkSignalOption(signal),
    onProgress: checkFunctionOption(onProgress, 'onProgress'),
    onToken: checkFunctionOption(onToken, 'onToken'),
    rest,
  };
}

function abortedError(signal: AbortSignal): BlenderError {
  return new BlenderError('ABORTED', 'the call was aborted (options.signal)', 'options.signal', { cause: signal.reason });
}

function readCreateOptions(options: BrowserBlenderOptions): WireCreateOptions {
  if (typeof options !== 'object' || options === null) {
    throw new BlenderError('INVALID_ARGUMENT', 'createBlender takes an options object', 'options');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new BlenderError('UNKNOWN_OPTION', `unknown option '${key}' (known: ${OPTION_KEYS.join(', ')})`, `options.${key}`);
    }
  }
  const device = options.device ?? 'auto';
  if (!DEVICES.includes(device)) {
    throw new BlenderError('INVALID_OPTION', `options.device must be one of ${DEVICES.join(', ')} in a page`, 'options.device');
  }
  const dtype = options.dtype ?? 'auto';
  if (!DTYPES.includes(dtype)) {
    throw new BlenderError('INVALID_OPTION', `options.dtype must be one of ${DTYPES.join(', ')}`, 'options.dtype');
  }
  return { ranker: modelOption(options.ranker, 'ranker'), fuser: modelOption(options.fuser, 'fuser'), device, dtype };
}

function modelOption(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a model folder URL or null`, `options.${name}`);
  }
  return resolveModelUrl(value);
}

/** The worker's base URL is its script's, not the page's: resolve against the page here. */
function resolveModelUrl(url: string): string {
  return new URL(url.replace(/\/*$/, '/'), globalThis.location?.href).href.replace(/\/$/, '');
}

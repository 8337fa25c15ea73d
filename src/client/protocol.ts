/**
 * The typed contract between the page (src/client) and the worker (workers/): what crosses
 * Comlink. Callbacks cross as Comlink proxies; AbortSignals cannot cross, so the page sends
 * `abort(callId)` instead; errors cross as data (Comlink would keep only their message).
 */
import type { BlenderErrorCode } from '../engine/errors';
import type {
  CompareConversationsOptions,
  CompareOptions,
  ComputeProgress,
  Conversation,
  FuseOptions,
  RankAndFuseOptions,
  RankAndFuseResult,
  RankDetails,
  RankOptions,
  RankWithRefOptions,
} from '../engine/types';
import type { DtypeOption } from '../runtime/common/dtypes';
import type { PageDevice } from '../runtime/web/backend-choice';
import type { LoadEvent, PageModelInfo } from '../runtime/web/load-events';
import type { CachedModel, ModelStoreChoice, StoreUsage } from '../runtime/web/model-store';
import type { RuntimeInfo } from '../runtime/web/runtime-info';

type Inputs = readonly string[];
type CandidateLists = readonly (readonly string[])[];

/**
 * The engine methods the worker runs on the page's behalf: for each, its arguments before
 * the options, its options, and every result it can give (the page's methods narrow it by
 * their options' types).
 */
export interface EngineCalls {
  rank: { args: [inputs: Inputs, candidates: CandidateLists]; options: RankOptions; result: number[][] | RankDetails };
  compare: { args: [inputs: Inputs, candidatesA: Inputs, candidatesB: Inputs]; options: CompareOptions; result: boolean[] | number[] };
  compareConversations: {
    args: [conversationsA: readonly Conversation[], conversationsB: readonly Conversation[]];
    options: CompareConversationsOptions;
    result: boolean[] | number[];
  };
  rankWithRef: { args: [inputs: Inputs, candidates: CandidateLists]; options: RankWithRefOptions; result: number[][] };
  fuse: { args: [inputs: Inputs, candidates: CandidateLists]; options: FuseOptions; result: string[] };
  rankAndFuse: {
    args: [inputs: Inputs, candidates: CandidateLists];
    options: RankAndFuseOptions;
    result: RankAndFuseResult | (RankAndFuseResult & RankDetails);
  };
}

export type EngineMethod = keyof EngineCalls;

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
  dtype: DtypeOption;
  /** Entries of the ranker's exact pair cache; 0 = off. */
  pairCache: number;
  /**
   * The folder (absolute, ending in `/`) of onnxruntime-web's `.wasm` and `.mjs` files, or null
   * for the ones next to the worker's own module (src/client/asset-urls.ts).
   */
  wasmUrl: string | null;
  /** The createBlender option that named `wasmUrl` (errors name it). */
  wasmUrlOption: 'options.wasmUrl' | 'options.assetsUrl' | null;
}

export interface BrowserInfo extends RuntimeInfo {
  /** Where this blender caches model files (OPFS, IndexedDB, or nowhere), and why there. */
  modelStore: ModelStoreChoice;
  ranker: PageModelInfo | null;
  fuser: PageModelInfo | null;
}

/**
 * One callback invocation of a call, as the worker sends it to the page. Both callbacks
 * travel on one Comlink proxy (one MessagePort per call), so the page receives them in the
 * order the engine made them.
 */
export type CallEvent = { kind: 'progress'; progress: ComputeProgress } | { kind: 'token'; inputIndex: number; text: string };

/** Which callbacks the caller gave: the engine streams tokens only for a caller that listens. */
export interface CallListeners {
  progress: boolean;
  token: boolean;
}

/** What the worker exposes through Comlink. */
export interface WorkerApi {
  /** Takes the Web Lock `name` and keeps it until the worker dies; resolves once held. */
  holdLifeLock(name: string): Promise<void>;
  /** Loads the models; resolves once every `onLoad` delivery has settled, as `call` does. */
  init(options: WireCreateOptions, onLoad: ((event: LoadEvent) => void) | undefined): Promise<WireResult<void>>;
  /**
   * Runs an engine method. `onEvent` is a separate argument because Comlink proxies only
   * top-level arguments (a proxy inside an object would fail to clone). The result comes
   * back only once every `onEvent` delivery of the call has settled: the result crosses on
   * the worker's own port, which nothing else orders after the proxy's.
   */
  call(
    callId: number,
    method: EngineMethod,
    args: unknown[],
    options: Record<string, unknown>,
    listeners: CallListeners,
    onEvent: ((event: CallEvent) => void) | undefined,
  ): Promise<WireResult<unknown>>;
  abort(callId: number): void;
  info(): Promise<WireResult<BrowserInfo>>;
  cacheList(): Promise<WireResult<CachedModel[]>>;
  cacheUsage(): Promise<WireResult<StoreUsage>>;
  cacheDelete(model: string): Promise<WireResult<void>>;
  cacheClear(): Promise<WireResult<void>>;
  dispose(): Promise<void>;
}

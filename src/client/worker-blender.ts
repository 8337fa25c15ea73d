/**
 * The page's blender: every method runs in the worker (a new one if the last one died),
 * except `bestOfN`, whose generator is the page's own function. The AbortSignal and the
 * callbacks stay in the page: an abort is sent as `abort(callId)`, callbacks cross as
 * Comlink proxies.
 */
import { bestOfN } from '../engine/best-of-n';
import { abortedError, BlenderError } from '../engine/errors';
import type {
  BestOfNOptions,
  BestOfNResult,
  Blender,
  CompareConversationsOptions,
  CompareOptions,
  CompareResult,
  Conversation,
  FuseOptions,
  RankAndFuseOptions,
  RankAndFuseResultFor,
  RankOptions,
  RankResult,
  RankWithRefOptions,
} from '../engine/types';
import { checkFunctionOption, checkSignalOption } from '../engine/validate';
import type { LoadEvent } from '../runtime/web/load-events';
import { modelUrlArgument, type ModelCache } from './model-cache';
import type { BrowserInfo, EngineCalls, EngineMethod, WireCreateOptions } from './protocol';
import { nameUncloneable } from './uncloneable';
import { unwrap, WorkerConnection, type WorkerFactory } from './worker-connection';

export interface BrowserBlender extends Blender<BrowserInfo> {
  /** The models this origin has cached (the same cache `openModelCache()` opens). */
  readonly cache: ModelCache;
}

type Inputs = readonly string[];
type CandidateLists = readonly (readonly string[])[];

export class WorkerBlender implements BrowserBlender {
  private current: Promise<WorkerConnection> | null = null;
  private disposed = false;
  private nextCallId = 1;

  readonly cache: ModelCache = {
    list: async () => unwrap(await this.track((remote) => remote.cacheList())),
    delete: async (model) => {
      const url = modelUrlArgument(model, globalThis.location?.href);
      return unwrap(await this.track((remote) => remote.cacheDelete(url)));
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

  async rank<WithMatrix extends boolean = false>(
    inputs: Inputs,
    candidates: CandidateLists,
    options?: RankOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankResult<WithMatrix>> {
    return (await this.invoke('rank', [inputs, candidates], options)) as RankResult<WithMatrix>;
  }

  async compare<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    inputs: Inputs,
    candidatesA: Inputs,
    candidatesB: Inputs,
    options?: CompareOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>> {
    return (await this.invoke('compare', [inputs, candidatesA, candidatesB], options)) as CompareResult<WithLogits, WithProbabilities>;
  }

  async compareConversations<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    conversationsA: readonly Conversation[],
    conversationsB: readonly Conversation[],
    options?: CompareConversationsOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>> {
    return (await this.invoke('compareConversations', [conversationsA, conversationsB], options)) as CompareResult<WithLogits, WithProbabilities>;
  }

  rankWithRef(inputs: Inputs, candidates: CandidateLists, options?: RankWithRefOptions): Promise<number[][]> {
    return this.invoke('rankWithRef', [inputs, candidates], options);
  }

  fuse(inputs: Inputs, candidates: CandidateLists, options?: FuseOptions): Promise<string[]> {
    return this.invoke('fuse', [inputs, candidates], options);
  }

  async rankAndFuse<WithMatrix extends boolean = false>(
    inputs: Inputs,
    candidates: CandidateLists,
    options?: RankAndFuseOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankAndFuseResultFor<WithMatrix>> {
    return (await this.invoke('rankAndFuse', [inputs, candidates], options)) as RankAndFuseResultFor<WithMatrix>;
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
   * Callbacks cross as a Comlink proxy, and all of them run before the call settles
   * (WorkerConnection.call).
   */
  private async invoke<M extends EngineMethod>(
    method: M,
    args: EngineCalls[M]['args'],
    options: EngineCalls[M]['options'] | undefined,
  ): Promise<EngineCalls[M]['result']> {
    const { signal, onProgress, onToken, rest } = splitOptions(options);
    if (signal?.aborted) throw abortedError(signal);
    const connection = await this.connection();
    const callId = this.nextCallId++;
    const work = connection
      .call(callId, method, [...args], rest, { signal, onProgress, onToken })
      .catch((error: unknown) => {
        throw nameUncloneable(error, method, args, rest);
      })
      .then((result) => unwrap(result) as EngineCalls[M]['result']);
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

/**
 * One running worker and the calls in flight to it. Knows when the worker dies (crash, out
 * of memory, closed) and rejects every pending call with `WORKER_CRASHED` instead of
 * leaving it hanging forever, which is what a bare Comlink call would do.
 */
import * as Comlink from 'comlink';
import { abortedError, BlenderError } from '../engine/errors';
import type { ComputeProgress } from '../engine/types';
import type { LoadEvent } from '../runtime/web/load-events';
import type { CallEvent, EngineMethod, WireCreateOptions, WireResult, WorkerApi } from './protocol';

export type WorkerFactory = () => Worker;

/** The caller's options of an engine call that stay in the page. */
export interface CallCallbacks {
  signal: AbortSignal | undefined;
  onProgress: ((progress: ComputeProgress) => void) | undefined;
  onToken: ((inputIndex: number, text: string) => void) | undefined;
}

/**
 * Runs a caller's callbacks for as long as their call is open. The worker answers a call only
 * after its callbacks ran here, but an aborted call rejects at once while the worker may still
 * report from the step it is finishing: those reports are dropped, so that no callback runs
 * after its call's promise settled. An exception a callback throws is reported here as
 * uncaught (the window's error event, the console), as an event listener's is, and goes no
 * further: it must not stop the call, nor cross to the worker.
 */
class CallbackGate {
  private open = true;

  readonly close = (): void => {
    this.open = false;
  };

  guard<A extends unknown[]>(callback: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
      if (!this.open) return;
      try {
        // A promise it returns is the caller's: not awaited, so the worker waits for no one.
        void callback(...args);
      } catch (error) {
        reportUncaught(error);
      }
    };
  }
}

function reportUncaught(error: unknown): void {
  if (typeof reportError === 'function') {
    reportError(error);
  } else {
    setTimeout(() => {
      throw error;
    });
  }
}

/** Rebuilds the engine's typed error from its wire form. */
export function unwrap<T>(result: WireResult<T>): T {
  if (result.error) throw new BlenderError(result.error.code, result.error.message, result.error.argument);
  return result.value as T;
}

export class WorkerConnection {
  readonly remote: Comlink.Remote<WorkerApi>;
  private readonly pending = new Set<(error: BlenderError) => void>();
  private deathReason: string | null = null;
  /** Whether the worker's script ran: it has answered a message. */
  private answered = false;

  private constructor(private readonly worker: Worker) {
    this.remote = Comlink.wrap<WorkerApi>(worker);
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      // A worker whose script never ran was not found (404, wrong type) or failed to load:
      // in a built app, most often the worker or its chunks are not served where the package
      // looks for them. The event itself says nothing more.
      this.died(
        this.answered
          ? `the worker failed: ${event.message || 'uncaught error'}`
          : `the worker's script did not load${event.message ? ` (${event.message})` : ''}: is blender.worker.js served where createBlender looks for it (beside the package's index.js, or at options.assetsUrl / options.workerUrl)?`,
      );
    });
    worker.addEventListener('messageerror', () => this.died('the worker sent a message that could not be read'));
  }

  /** Spawns a worker, arms its death detection, and loads the models. */
  static async start(
    createWorker: WorkerFactory,
    options: WireCreateOptions,
    onLoad: ((event: LoadEvent) => void) | undefined,
    signal?: AbortSignal,
  ): Promise<WorkerConnection> {
    const connection = new WorkerConnection(createWorker());
    // Aborting a load stops the worker wherever it is (downloading, creating a session).
    const onAbort = () => connection.terminate(abortedError(signal, 'load'));
    signal?.addEventListener('abort', onAbort, { once: true });
    // The worker resolves init after its load events ran here; none runs once this settled.
    const gate = new CallbackGate();
    try {
      await connection.watchLiveness();
      const callback = onLoad ? Comlink.proxy(gate.guard(onLoad)) : undefined;
      unwrap(await connection.track(connection.remote.init(options, callback)));
      connection.answered = true; // (already, where Web Locks gave the first answer)
    } catch (error) {
      connection.terminate();
      throw error;
    } finally {
      gate.close();
      signal?.removeEventListener('abort', onAbort);
    }
    return connection;
  }

  get alive(): boolean {
    return this.deathReason === null;
  }

  /**
   * Settles with `work`, or rejects with WORKER_CRASHED as soon as the worker dies. Every
   * call to the worker goes through here.
   */
  track<T>(work: Promise<T>): Promise<T> {
    if (this.deathReason !== null) return Promise.reject(this.crashError());
    return new Promise<T>((resolve, reject) => {
      const onDeath = (error: BlenderError) => reject(error);
      this.pending.add(onDeath);
      work.then(
        (value) => {
          this.pending.delete(onDeath);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(onDeath);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the call's own rejection, passed through as thrown
          reject(toBlenderError(error));
        },
      );
    });
  }

  /**
   * Runs an engine method in the worker. Both callbacks cross on one proxy, so they run here
   * in the order the engine made them; the worker answers once all of them have run here
   * (workers/blender.worker.ts), and none runs after the call settled or `signal` aborted.
   */
  call(
    callId: number,
    method: EngineMethod,
    args: unknown[],
    options: Record<string, unknown>,
    { signal, onProgress, onToken }: CallCallbacks,
  ): Promise<WireResult<unknown>> {
    const gate = new CallbackGate();
    const listeners = { progress: onProgress !== undefined, token: onToken !== undefined };
    const onEvent =
      onProgress || onToken
        ? Comlink.proxy(gate.guard((event: CallEvent) => (event.kind === 'token' ? onToken?.(event.inputIndex, event.text) : onProgress?.(event.progress))))
        : undefined;
    // The caller's promise rejects the moment the signal aborts (src/client/worker-blender.ts).
    signal?.addEventListener('abort', gate.close, { once: true });
    return this.track(this.remote.call(callId, method, args, options, listeners, onEvent)).finally(() => {
      gate.close();
      signal?.removeEventListener('abort', gate.close);
    });
  }

  /** Ends the worker; pending calls reject with `error` (default: DISPOSED). */
  terminate(error = new BlenderError('DISPOSED', 'the blender was disposed')): void {
    if (this.deathReason === null) this.deathReason = error.message;
    this.worker.terminate();
    this.rejectPending(error);
  }

  /**
   * The worker holds a Web Lock for as long as it lives; the page queues for the same lock,
   * which it is granted only when the worker is gone, however it went. A busy worker (deep in
   * a WASM run) cannot answer heartbeats, but its lock still says it is alive.
   */
  private async watchLiveness(): Promise<void> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return; // Not a secure context: only the worker's error event tells.
    const name = `llm-blender-web:worker:${crypto.randomUUID()}`;
    await this.track(this.remote.holdLifeLock(name));
    this.answered = true;
    void locks.request(name, () => this.died('the worker stopped (crashed, ran out of memory, or was closed)'));
  }

  private died(reason: string): void {
    if (this.deathReason !== null) return;
    this.deathReason = reason;
    this.worker.terminate();
    this.rejectPending(this.crashError());
  }

  private crashError(): BlenderError {
    return new BlenderError('WORKER_CRASHED', `${this.deathReason ?? 'the worker stopped'}; the next call starts a new worker`);
  }

  /** Rejects every call in flight with `error`; the worker itself is untouched. */
  rejectPending(error: BlenderError): void {
    const waiting = [...this.pending];
    this.pending.clear();
    for (const reject of waiting) reject(error);
  }
}

function toBlenderError(error: unknown): unknown {
  // postMessage refuses functions, DOM nodes and the like in arguments.
  if (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'DataCloneError') {
    return new BlenderError('INVALID_ARGUMENT', `arguments must be plain data: ${(error as Error).message}`, 'arguments');
  }
  return error;
}

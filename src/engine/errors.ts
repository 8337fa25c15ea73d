/**
 * The one error type the engine throws. Callers branch on `code` (a stable string), never on
 * the class name: minified builds rename classes, and errors that cross the worker boundary
 * lose their prototype but keep their fields.
 */
export type BlenderErrorCode =
  /** An argument has the wrong type or shape (not an array, a non-string item, ...). */
  | 'INVALID_ARGUMENT'
  /** Two lists that must be parallel have different lengths. */
  | 'LENGTH_MISMATCH'
  /** A candidate list is empty: there is nothing to rank. */
  | 'EMPTY_CANDIDATES'
  /** An options object has a key the method does not know (usually a typo). */
  | 'UNKNOWN_OPTION'
  /** An option has a value outside its domain, or options that cannot go together. */
  | 'INVALID_OPTION'
  /** A conversation breaks the USER/ASSISTANT alternation rules. */
  | 'INVALID_CONVERSATION'
  /** The call's AbortSignal fired; the engine stays usable. */
  | 'ABORTED'
  /** The method needs a ranker but none was configured. */
  | 'RANKER_NOT_LOADED'
  /** The method needs a fuser but none was configured. */
  | 'FUSER_NOT_LOADED'
  /** A model folder is missing files or its config lacks a required field. */
  | 'MODEL_INVALID'
  /** The runtime could not load the model (session creation, tokenizer). */
  | 'MODEL_LOAD_FAILED'
  /** A model file could not be fetched (network, HTTP status). Nothing was stored. */
  | 'DOWNLOAD_FAILED'
  /** A downloaded model file differs from its manifest (size or sha256). Nothing was stored. */
  | 'INTEGRITY_MISMATCH'
  /** The requested device or dtype cannot run here (e.g. `webgpu` without an adapter). */
  | 'BACKEND_UNAVAILABLE'
  /**
   * The model cache (IndexedDB) cannot be used here: private browsing, storage blocked or
   * broken. Models still load from the network, uncached; cache methods reject with this.
   */
  | 'STORAGE_UNAVAILABLE'
  /** The worker hosting the engine died (crash, out of memory); the next call starts a new one. */
  | 'WORKER_CRASHED'
  /** The runtime failed while running the model. */
  | 'INFERENCE_FAILED'
  /**
   * A loaded model failed its self-check (the probe in its manifest.json): the backend and
   * variant compute numbers outside the tolerance measured at export, or NaN/Inf. The message
   * names the variant, the backend and the deviation. Only with an explicit device or dtype;
   * `auto` falls back to a safer choice instead.
   */
  | 'NUMERICS_MISMATCH'
  /**
   * The GPU device a model ran on was lost (driver reset, `device.destroy()`): calls in flight
   * reject with this; with `device: 'auto'` the next call reloads the models on WASM.
   */
  | 'DEVICE_LOST'
  /** The blender was disposed; create a new one. */
  | 'DISPOSED';

export class BlenderError extends Error {
  readonly code: BlenderErrorCode;
  /** The offending argument or option, as a path: `candidates[1][0]`, `options.mode`. */
  readonly argument: string | undefined;

  constructor(code: BlenderErrorCode, message: string, argument?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlenderError';
    this.code = code;
    this.argument = argument;
  }
}

/** Type guard that also works on errors rebuilt from a structured clone (no prototype). */
export function isBlenderError(error: unknown): error is BlenderError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'BlenderError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * The one error an abort rejects with, for calls and loads alike: the caller's
 * `options.signal` fired. Its `cause` is the signal's reason.
 */
export function abortedError(signal?: AbortSignal, what: 'call' | 'load' = 'call'): BlenderError {
  const message = what === 'call' ? 'the call was aborted (options.signal)' : 'loading was aborted (options.signal)';
  return new BlenderError('ABORTED', message, 'options.signal', signal ? { cause: signal.reason } : undefined);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: 'call' | 'load' = 'call'): void {
  if (signal?.aborted) throw abortedError(signal, what);
}

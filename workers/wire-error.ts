/**
 * What an error thrown in the worker becomes on the wire (src/client/protocol.ts). The
 * engine's own errors keep their code and argument. Anything else (a failure of the runtime
 * underneath, a bug) gets the code of what the failing method was doing, so a page that
 * branches on codes reacts to the right kind of failure: a load that failed, a run that
 * failed, a cache that cannot be used.
 */
import type { WireError } from '../src/client/protocol';
import { isBlenderError, type BlenderErrorCode } from '../src/engine/errors';

/** The worker's methods that answer with a WireResult. */
export type WireMethod = 'init' | 'call' | 'info' | 'cacheList' | 'cacheUsage' | 'cacheDelete' | 'cacheClear';

const UNEXPECTED: Readonly<Record<WireMethod, { code: BlenderErrorCode; doing: string }>> = {
  // Loading ORT, fetching and opening the models: whatever breaks there, no model is loaded.
  init: { code: 'MODEL_LOAD_FAILED', doing: 'loading the models' },
  call: { code: 'INFERENCE_FAILED', doing: 'running the model' },
  // info() reads the runtime the load left (the WebGPU probe, the ORT build, the models'
  // backends): failing to read it means that runtime is not in a state that can serve.
  info: { code: 'BACKEND_UNAVAILABLE', doing: 'reading the runtime' },
  // The cache methods only touch the model store (IndexedDB and the storage manager).
  cacheList: { code: 'STORAGE_UNAVAILABLE', doing: 'listing the model cache' },
  cacheUsage: { code: 'STORAGE_UNAVAILABLE', doing: 'measuring the model cache' },
  cacheDelete: { code: 'STORAGE_UNAVAILABLE', doing: 'deleting from the model cache' },
  cacheClear: { code: 'STORAGE_UNAVAILABLE', doing: 'clearing the model cache' },
};

export function toWireError(error: unknown, method: WireMethod): WireError {
  if (isBlenderError(error)) return { code: error.code, message: error.message, argument: error.argument };
  const { code, doing } = UNEXPECTED[method];
  const message = error instanceof Error ? error.message : String(error);
  return { code, message: `unexpected failure in the worker while ${doing}: ${message}`, argument: undefined };
}

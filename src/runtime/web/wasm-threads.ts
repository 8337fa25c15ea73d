/** How many threads onnxruntime-web's WASM backend gets, and why. */
export interface WasmThreads {
  threads: number;
  reason: string;
}

/** ORT needs at least 2 threads to be worth the pool, and gains little past 4. */
export const MAX_WASM_THREADS = 4;

/**
 * Multi-threaded WASM needs SharedArrayBuffer, which only cross-origin isolated pages
 * get (COOP + COEP headers). ORT would quietly fall back to 1 thread; we say so.
 */
export function chooseWasmThreads(env: { crossOriginIsolated: boolean; hardwareConcurrency: number }): WasmThreads {
  if (!env.crossOriginIsolated) {
    return {
      threads: 1,
      reason: 'page is not cross-origin isolated (serve it with COOP same-origin + COEP require-corp)',
    };
  }
  const cores = Math.max(1, Math.floor(env.hardwareConcurrency || 1));
  const threads = Math.min(cores, MAX_WASM_THREADS);
  return {
    threads,
    reason: cores > MAX_WASM_THREADS ? `${cores} cores, capped at ${MAX_WASM_THREADS}` : `${cores} core${cores === 1 ? '' : 's'}`,
  };
}

// Which onnxruntime-web wasm binaries a page (and its workers) fetched, by build: the plain
// WASM build (`ort-wasm-simd-threaded.wasm`) or the WebGPU-capable asyncify one. Matches
// the dev server's paths and the hashed names of a production build.
import type { BrowserContext } from '@playwright/test';

export const PLAIN_WASM = /\/ort-wasm-simd-threaded(-[\w-]+)?\.wasm$/;
export const ASYNCIFY_WASM = /\/ort-wasm-simd-threaded\.asyncify(-[\w-]+)?\.wasm$/;

export interface WasmFetches {
  plain(): string[];
  asyncify(): string[];
}

/**
 * Records the wasm fetched from now on. Scripts do not count: the dev server also serves
 * `<file>.wasm?import&url` as a module holding the URL, which fetches no wasm.
 */
export function recordWasmFetches(context: BrowserContext): WasmFetches {
  const paths: string[] = [];
  context.on('request', (request) => {
    if (request.resourceType() !== 'script') paths.push(new URL(request.url()).pathname);
  });
  return {
    plain: () => paths.filter((path) => PLAIN_WASM.test(path)),
    asyncify: () => paths.filter((path) => ASYNCIFY_WASM.test(path)),
  };
}

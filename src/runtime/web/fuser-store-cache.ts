/**
 * transformers.js's custom-cache hook (`env.useCustomCache` / `env.customCache`) serving one
 * model folder's bytes that the model store already fetched and verified. With its own
 * fetch answering 404 and local files off, transformers.js reads nothing but these bytes:
 * the store stays the one place that fetches and caches model files.
 */
import { env } from '@huggingface/transformers';

/** The part of the Web Cache API transformers.js calls. */
export interface ResponseCache {
  match(request: string | Request): Promise<Response | undefined>;
  put(request: string | Request, response: Response): Promise<void>;
}

/**
 * Answers requests for `<folder>/<path>` with the bytes in `files`; anything else misses.
 * transformers.js also looks a file up under its Hub-style key
 * (`<remoteHost>/<folder>/resolve/<revision>/<path>`; in Node it reads a hit back that way).
 */
export function folderBytesCache(folder: string, files: ReadonlyMap<string, Uint8Array>): ResponseCache {
  const prefix = `${folder.replace(/\/+$/, '')}/`;
  return {
    async match(request) {
      const key = typeof request === 'string' ? request : request.url;
      const at = folder === '' ? -1 : key.indexOf(prefix);
      if (at < 0 || (at > 0 && !key.slice(at + prefix.length).startsWith('resolve/'))) return undefined;
      const path = key.slice(at + prefix.length).replace(at > 0 ? /^resolve\/[^/]+\// : /^$/, '');
      const bytes = files.get(path);
      if (!bytes) return undefined;
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.byteLength) } });
    },
    // The store already holds every file: nothing to keep.
    async put() {},
  };
}

/**
 * Points transformers.js at `cache` and nothing else: its network function answers 404
 * while loading, so a miss is "file not found" (an error for a required file, skipped for
 * an optional one), never a fetch, and local files are off. Returns the function that
 * restores transformers.js's fetch and detaches the bytes (garbage once the sessions exist).
 */
export function serveOnlyFrom(cache: ResponseCache): () => void {
  const originalFetch = env.fetch;
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  env.useBrowserCache = false;
  env.useFSCache = false;
  // ORT's wasm is the page's own (src/runtime/web/ort-web.ts): not fetched again through here.
  env.useWasmCache = false;
  env.useCustomCache = true;
  env.customCache = cache;
  env.fetch = async () => new Response(null, { status: 404, statusText: 'not in the model store' });
  return () => {
    env.fetch = originalFetch;
    env.customCache = folderBytesCache('', new Map());
  };
}

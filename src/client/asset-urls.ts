/**
 * Where the worker script and onnxruntime-web's `.wasm`/`.mjs` files are served from, for hosts
 * whose bundler does not copy them (esbuild, a plain static page, files on a CDN of your own).
 * By default the built package finds both next to its own module
 * (`new URL('./file', import.meta.url)`), which webpack, Vite, Rollup and Parcel copy by themselves.
 */
import { BlenderError } from '../engine/errors';

/** The built package's worker script, inside `assetsUrl` (dist/browser/ in the package). */
export const WORKER_FILE = 'blender.worker.js';

export interface AssetUrlOptions {
  /** A folder holding the package's dist/browser files: the worker and ORT's wasm files. */
  assetsUrl?: string | URL | undefined;
  /** The worker script. Browsers start workers from the page's origin only. */
  workerUrl?: string | URL | undefined;
  /** A folder holding onnxruntime-web's `.wasm` and `.mjs` files (any origin that allows CORS). */
  wasmUrl?: string | URL | undefined;
}

export interface AssetUrls {
  /** The worker script's absolute URL, or null for the package's own (next to its module). */
  workerUrl: string | null;
  /** The absolute URL of the folder of ORT's files, ending in `/`, or null for the package's own. */
  wasmUrl: string | null;
  /** The option that named `wasmUrl`, for errors about it. */
  wasmUrlOption: 'options.wasmUrl' | 'options.assetsUrl' | null;
}

/**
 * Reads the three options: `workerUrl` and `wasmUrl` each override what `assetsUrl` implies.
 * Relative URLs resolve against `pageUrl`. Anything that is not an http(s) URL, a folder URL
 * with a query or fragment, or a worker on another origin is an `INVALID_OPTION` naming the
 * option that caused it.
 */
export function readAssetUrls(options: AssetUrlOptions, pageUrl: string | undefined): AssetUrls {
  const assets = folderUrl(options.assetsUrl, 'assetsUrl', pageUrl);
  const wasm = folderUrl(options.wasmUrl, 'wasmUrl', pageUrl) ?? assets;
  const explicitWorker = absoluteUrl(options.workerUrl, 'workerUrl', pageUrl);
  const worker = explicitWorker ?? (assets ? new URL(WORKER_FILE, assets) : null);
  if (worker && pageUrl !== undefined) {
    const pageOrigin = new URL(pageUrl).origin;
    if (worker.origin !== pageOrigin) {
      const name = explicitWorker ? 'workerUrl' : 'assetsUrl';
      throw new BlenderError(
        'INVALID_OPTION',
        `options.${name} puts the worker on ${worker.origin}, but browsers start workers from the page's origin (${pageOrigin}) only: ` +
          (explicitWorker ? 'serve blender.worker.js from this origin' : 'serve blender.worker.js from this origin and name it with options.workerUrl'),
        `options.${name}`,
      );
    }
  }
  const wasmUrlOption = options.wasmUrl !== undefined ? 'options.wasmUrl' : assets ? 'options.assetsUrl' : null;
  return { workerUrl: worker?.href ?? null, wasmUrl: wasm?.href ?? null, wasmUrlOption };
}

function absoluteUrl(value: unknown, name: keyof AssetUrlOptions, pageUrl: string | undefined): URL | null {
  if (value === undefined) return null;
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a URL (a string or a URL object)`, `options.${name}`);
  }
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    throw new BlenderError('INVALID_OPTION', `options.${name} is not a valid URL: ${JSON.stringify(text)}`, `options.${name}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be an http(s) URL, not ${url.protocol}`, `options.${name}`);
  }
  return url;
}

/** A folder's URL, always ending in `/` so that file names resolve inside it. */
function folderUrl(value: unknown, name: keyof AssetUrlOptions, pageUrl: string | undefined): URL | null {
  const url = absoluteUrl(value, name, pageUrl);
  if (!url) return null;
  if (url.search !== '' || url.hash !== '') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a folder URL without a query or fragment`, `options.${name}`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

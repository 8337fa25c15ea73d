/**
 * createBlender's options in pages: checked here, in the page, so a mistake is reported with
 * the option's name before any worker starts; model URLs made absolute against the page.
 */
import { BlenderError } from '../engine/errors';
import { DEFAULT_PAIR_CACHE_SIZE } from '../engine/pair-cache';
import { checkIntegerOption } from '../engine/validate';
import { DTYPE_OPTIONS, isDtypeOption, type DtypeOption } from '../runtime/common/dtypes';
import { PAGE_DEVICES, type PageDevice } from '../runtime/web/backend-choice';
import type { LoadEvent } from '../runtime/web/load-events';
import { readAssetUrls, type AssetUrlOptions } from './asset-urls';
import type { WireCreateOptions } from './protocol';

export interface BrowserBlenderOptions extends AssetUrlOptions {
  /** URL of a ranker model folder (relative to the page or absolute), or null for none. */
  ranker?: string | null;
  /** URL of a fuser model folder, or null for none. */
  fuser?: string | null;
  /** `auto` (default): WebGPU when an adapter can run the model, else WASM. */
  device?: PageDevice;
  /** `auto` (default): fp16 or q4 on WebGPU, q8 on WASM, among the model's variants. */
  dtype?: DtypeOption;
  /**
   * Most pair logits the ranker keeps (exact, least recently used out; src/engine/pair-cache.ts):
   * a pair already run is not run again. 0 = off. Default {@link DEFAULT_PAIR_CACHE_SIZE}.
   */
  pairCache?: number;
  /** Model loading progress: downloads, cache hits and misses, session creation, fallbacks. */
  onProgress?: (event: LoadEvent) => void;
  /**
   * Aborts loading (download, session creation): createBlender rejects with `ABORTED` and
   * its worker is stopped. Nothing half-downloaded is ever served from the cache.
   */
  signal?: AbortSignal;
}

const OPTION_KEYS: readonly (keyof BrowserBlenderOptions)[] = [
  'ranker',
  'fuser',
  'device',
  'dtype',
  'pairCache',
  'onProgress',
  'signal',
  'assetsUrl',
  'workerUrl',
  'wasmUrl',
];

/** The checked options: what crosses to the worker, and the worker script the page starts. */
export interface CheckedCreateOptions extends WireCreateOptions {
  /** The worker script's absolute URL, or null for the package's own. */
  workerUrl: string | null;
}

/** The options that cross to the worker (callbacks and the signal stay in the page). */
export function readCreateOptions(options: BrowserBlenderOptions): CheckedCreateOptions {
  if (typeof options !== 'object' || options === null) {
    throw new BlenderError('INVALID_ARGUMENT', 'createBlender takes an options object', 'options');
  }
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new BlenderError('UNKNOWN_OPTION', `unknown option '${key}' (known: ${OPTION_KEYS.join(', ')})`, `options.${key}`);
    }
  }
  const device = options.device ?? 'auto';
  if (!PAGE_DEVICES.includes(device)) {
    throw new BlenderError('INVALID_OPTION', `options.device must be one of ${PAGE_DEVICES.join(', ')} in a page`, 'options.device');
  }
  const dtype = options.dtype ?? 'auto';
  if (!isDtypeOption(dtype)) {
    throw new BlenderError('INVALID_OPTION', `options.dtype must be one of ${DTYPE_OPTIONS.join(', ')}`, 'options.dtype');
  }
  const { workerUrl, wasmUrl, wasmUrlOption } = readAssetUrls(options, globalThis.location?.href);
  return {
    ranker: modelOption(options.ranker, 'ranker'),
    fuser: modelOption(options.fuser, 'fuser'),
    device,
    dtype,
    pairCache: checkIntegerOption(options.pairCache, 'pairCache', 0) ?? DEFAULT_PAIR_CACHE_SIZE,
    wasmUrl,
    wasmUrlOption,
    workerUrl,
  };
}

function modelOption(value: unknown, name: 'ranker' | 'fuser'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a model folder URL or null`, `options.${name}`);
  }
  return resolveModelUrl(value);
}

/**
 * A model folder's absolute URL, without a trailing slash: how the store keys models. The
 * worker's base URL is its script's, not the page's, so model URLs are resolved in the page.
 */
export function resolveModelUrl(url: string, baseUrl: string | undefined = globalThis.location?.href): string {
  return new URL(url.replace(/\/*$/, '/'), baseUrl).href.replace(/\/$/, '');
}

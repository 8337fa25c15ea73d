/**
 * A model folder's `manifest.json`: every file the model has, with its size and sha256, so
 * no byte is trusted before it is checked. Also the small helpers every part of the model
 * store shares (model URLs, sha256, error wording).
 */
import { abortedError, BlenderError } from '../../engine/errors';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelManifest {
  files: ManifestFile[];
  [extra: string]: unknown;
}

export interface FetchInit {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** `fetch` as the store uses it (tests pass a fake server). */
export type ModelFetch = (url: string, init?: FetchInit) => Promise<Response>;

/** Where the last manifest fetched for a model is kept, so a cached model loads offline. */
export interface ManifestBackup {
  save(model: string, manifest: ModelManifest): Promise<void>;
  /** The kept copy as stored (not yet checked), undefined where there is none. */
  load(model: string): Promise<unknown>;
}

/**
 * The model's manifest from the network, kept in `backup`; the kept copy when the network
 * fails. A manifest that arrives but is not one is refused (MODEL_INVALID): that is the
 * model's fault, and an older copy would hide it.
 */
export async function fetchManifest(model: string, fetch: ModelFetch, backup: ManifestBackup, signal?: AbortSignal): Promise<ModelManifest> {
  const url = joinUrl(model, 'manifest.json');
  let fetchError: unknown;
  let response: Response | undefined;
  try {
    response = await fetch(url, signalInit(signal));
    if (!response.ok) fetchError = new Error(`HTTP ${response.status}`);
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, 'load');
    fetchError = error;
  }
  if (response?.ok) {
    const json: unknown = await response.json().catch((error: unknown) => {
      throw new BlenderError('MODEL_INVALID', `${url} is not JSON: ${describeError(error)}`, 'model', { cause: error });
    });
    const manifest = parseManifest(json, url);
    // Best effort: failing to keep it only costs offline use.
    await backup.save(model, manifest).catch(() => undefined);
    return manifest;
  }
  const kept = await backup.load(model).catch(() => undefined);
  if (kept) return parseManifest(kept, url);
  throw new BlenderError('DOWNLOAD_FAILED', `could not fetch ${url}: ${describeError(fetchError)}`, 'model', {
    cause: fetchError,
  });
}

/** `value` as a manifest, or MODEL_INVALID naming `url` when it is not one. */
export function parseManifest(value: unknown, url: string): ModelManifest {
  const files = (value as { files?: unknown } | null)?.files;
  const valid =
    Array.isArray(files) &&
    files.every(
      (file: Partial<ManifestFile> | null) =>
        typeof file?.path === 'string' && Number.isSafeInteger(file.bytes) && typeof file.sha256 === 'string' && /^[0-9a-f]{64}$/.test(file.sha256),
    );
  if (!valid) throw new BlenderError('MODEL_INVALID', `${url} is not a model manifest ({files: [{path, bytes, sha256}]})`, 'model');
  return value as ModelManifest;
}

/** The manifest's entry for `path`; a file it does not list is never fetched. */
export function manifestEntry(manifest: ModelManifest, model: string, path: string): ManifestFile {
  const entry = manifest.files.find((file) => file.path === path);
  if (!entry) throw new BlenderError('MODEL_INVALID', `${joinUrl(model, path)} is not listed in the model's manifest.json`, 'model');
  return entry;
}

export async function sha256Hex(subtle: SubtleCrypto, bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A model's identity in the store: its folder URL without a trailing slash. */
export function normalizeModel(model: string): string {
  return model.replace(/\/+$/, '');
}

export function joinUrl(model: string, path: string): string {
  return `${normalizeModel(model)}/${path}`;
}

export function signalInit(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

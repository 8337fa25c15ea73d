/**
 * Model files in the Origin Private File System, one OPFS file per model file:
 *
 *   llm-blender-web-models/            the store's directory
 *     <sha256 of the model URL, 40 hex>/
 *       model.json                     { model }: the folder URL, for listing
 *       manifest.json                  the model's last manifest (offline use)
 *       <path>~<sha256>                the file's bytes, written while downloading
 *       <path>~<sha256>.done           { path, bytes, sha256, xxh64 }: written last
 *
 * (`<path>` URL-encoded, so `onnx/model.onnx` is one name.) A file counts as stored only
 * once its `.done` record exists, and that record is written only after the download's
 * sha256 matched the manifest: a write cut short (tab closed, quota exhausted) leaves bytes
 * without a record, which are never read as complete and which the next download resumes
 * from (./opfs-partial-file.ts). A read checks the size and the record's xxHash64 in the
 * same pass as it reads.
 *
 * Deletes take the model's lock (the one downloads hold), so they never tear a model
 * another tab is storing.
 */
import { BlenderError, isBlenderError } from '../../engine/errors';
import type { ModelLock, StorageManagerLike, StoredModel, StoredRead } from './chunked-cache';
import { modelLockName } from './chunked-cache';
import { xxh64Incremental } from './file-checksum';
import { describeError, normalizeModel, sha256Hex, type ManifestBackup, type ManifestFile, type ModelManifest } from './manifest';
import { isNotFound, type OpfsDirectoryHandle, type OpfsFileHandle, type OpfsRootSource, type OpfsSyncHandle } from './opfs-handles';
import { readJson, removeIfThere, storeFailure, writeText, type OpfsFileRecord } from './opfs-io';
import { OpfsPartialFile, type PartialOpen } from './opfs-partial-file';

export type { OpfsFileRecord } from './opfs-io';

export const OPFS_DIRECTORY = 'llm-blender-web-models';
const DONE = '.done';
const MODEL_RECORD = 'model.json';
const MANIFEST = 'manifest.json';
/** Bytes read (and checksummed) at a time: big enough to be fast, small enough to stay in cache. */
const READ_SLICE = 16 * 1024 * 1024;

export interface OpfsStoreOptions {
  root: OpfsRootSource;
  /** Hashes model URLs into directory names. */
  subtle: SubtleCrypto;
  storageManager?: StorageManagerLike | undefined;
  lock?: ModelLock | undefined;
}

export class OpfsStore {
  private directory: Promise<OpfsDirectoryHandle> | null = null;
  private persistRequested = false;

  constructor(private readonly options: OpfsStoreOptions) {}

  /**
   * Whether this context can store files here: the directory opens, and a file can be
   * written through a sync access handle and removed (workers only). Resolves to why not.
   */
  async probe(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const dir = await this.root();
      // A name of its own: two tabs probing at once must not find each other's handle open.
      const name = `.probe-${Math.random().toString(36).slice(2)}`;
      const handle = await dir.getFileHandle(name, { create: true });
      if (!handle.createSyncAccessHandle) return { ok: false, reason: 'this context has no OPFS sync access handles' };
      const sync = await handle.createSyncAccessHandle();
      try {
        sync.write(new Uint8Array([1]), { at: 0 });
        sync.flush();
      } finally {
        sync.close();
      }
      await dir.removeEntry(name).catch(() => undefined);
      return { ok: true };
    } catch (error) {
      this.directory = null;
      return { ok: false, reason: `the Origin Private File System is unavailable: ${describeError(error)}` };
    }
  }

  readonly manifests: ManifestBackup = {
    save: async (model: string, manifest: ModelManifest) => {
      const dir = await this.modelDirectory(model, true);
      await writeText(dir, MODEL_RECORD, JSON.stringify({ model: normalizeModel(model) }));
      await writeText(dir, MANIFEST, JSON.stringify(manifest));
    },
    load: async (model: string) => {
      const dir = await this.modelDirectory(model, false).catch(() => null);
      return dir ? readJson(dir, MANIFEST) : undefined;
    },
  };

  /**
   * The stored copy of `entry`, read and checked against its record (size, xxHash64); null
   * where there is none. A copy that fails the check comes back as 'broken' for the caller
   * to report and {@link drop}. Older versions of the file are dropped (dead weight).
   */
  async read(model: string, entry: ManifestFile): Promise<(StoredRead & { checked: true }) | null> {
    const dir = await this.modelDirectory(model, false).catch(() => null);
    if (!dir) return null;
    const name = dataName(entry);
    const record = (await readJson(dir, name + DONE).catch(() => undefined)) as OpfsFileRecord | undefined;
    const meta = { model: normalizeModel(model), path: entry.path, sha256: entry.sha256, bytes: entry.bytes, chunkKeys: [] };
    if (!record) return null;
    if (record.sha256 !== entry.sha256 || record.bytes !== entry.bytes || typeof record.xxh64 !== 'string') {
      return { kind: 'broken', meta, reason: 'its record does not match the manifest', checked: true };
    }
    let read: CheckedRead;
    try {
      read = await readChecked(await dir.getFileHandle(name), entry.bytes);
    } catch (error) {
      return { kind: 'broken', meta, reason: `stored file cannot be read: ${describeError(error)}`, checked: true };
    }
    const { bytes, digest } = read;
    if (!bytes) return { kind: 'broken', meta, reason: `stored file has ${read.size} bytes, manifest says ${entry.bytes}`, checked: true };
    if (digest !== record.xxh64) return { kind: 'broken', meta, reason: 'stored file fails its checksum', checked: true };
    return { kind: 'copy', meta, bytes, checked: true };
  }

  /**
   * Opens `entry`'s file for writing as it downloads, with the bytes an earlier download
   * left on disk; or why it cannot be stored (no quota, OPFS failing). Call under the
   * model's lock.
   */
  async openPartial(model: string, entry: ManifestFile): Promise<PartialOpen> {
    const { storageManager } = this.options;
    if (!this.persistRequested && storageManager?.persist) {
      this.persistRequested = true;
      // Best effort: a persisted origin is not evicted under storage pressure.
      await storageManager.persist().catch(() => false);
    }
    try {
      const dir = await this.modelDirectory(model, true);
      await writeText(dir, MODEL_RECORD, JSON.stringify({ model: normalizeModel(model) }));
      await this.dropOtherVersions(dir, entry);
      return await OpfsPartialFile.open(dir, dataName(entry), entry, storageManager);
    } catch (error) {
      return { opened: false, reason: storeFailure(error) };
    }
  }

  /** Removes one stored file and its record, as far as storage allows. */
  async drop(model: string, entry: Pick<ManifestFile, 'path' | 'sha256'>): Promise<void> {
    const dir = await this.modelDirectory(model, false).catch(() => null);
    if (!dir) return;
    const name = dataName(entry);
    // The record first: without it the bytes are never read as complete.
    await removeIfThere(dir, name + DONE);
    await removeIfThere(dir, name);
  }

  async list(): Promise<StoredModel[]> {
    return this.guard('list', async () => {
      const models: StoredModel[] = [];
      const root = await this.root();
      for await (const dir of root.values()) {
        if (dir.kind !== 'directory') continue;
        const owner = (await readJson(dir, MODEL_RECORD).catch(() => undefined)) as { model?: unknown } | undefined;
        if (typeof owner?.model !== 'string') continue;
        const files = (await records(dir)).map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 }));
        if (files.length > 0) models.push({ model: owner.model, files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) });
      }
      return models;
    });
  }

  /** Deletes a model's directory (files, partial downloads, manifest), once no one is downloading it. */
  async deleteModel(model: string): Promise<void> {
    const name = normalizeModel(model);
    const work = () =>
      this.guard('delete', async () => {
        const root = await this.root();
        await root.removeEntry(await this.directoryName(name), { recursive: true }).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      });
    const { lock } = this.options;
    await (lock ? lock(modelLockName(name), work) : work());
  }

  /** Deletes every model (each under its lock), then whatever else is in the store's directory. */
  async clear(): Promise<void> {
    const owners = await this.guard('clear', async () => {
      const names: string[] = [];
      for await (const dir of (await this.root()).values()) {
        if (dir.kind !== 'directory') continue;
        const owner = (await readJson(dir, MODEL_RECORD).catch(() => undefined)) as { model?: unknown } | undefined;
        if (typeof owner?.model === 'string') names.push(owner.model);
      }
      return names;
    });
    for (const model of owners) await this.deleteModel(model);
    await this.guard('clear', async () => {
      const root = await this.root();
      const left: string[] = [];
      for await (const entry of root.values()) left.push(entry.name);
      for (const name of left) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
    });
  }

  private root(): Promise<OpfsDirectoryHandle> {
    this.directory ??= this.options.root().then((root) => root.getDirectoryHandle(OPFS_DIRECTORY, { create: true }));
    const opening = this.directory;
    opening.catch(() => {
      if (this.directory === opening) this.directory = null;
    });
    return opening;
  }

  private async directoryName(model: string): Promise<string> {
    return (await sha256Hex(this.options.subtle, new TextEncoder().encode(normalizeModel(model)))).slice(0, 40);
  }

  private async modelDirectory(model: string, create: boolean): Promise<OpfsDirectoryHandle> {
    return (await this.root()).getDirectoryHandle(await this.directoryName(model), { create });
  }

  /** Files of `entry.path` stored for another sha256: an older version of the model. */
  private async dropOtherVersions(dir: OpfsDirectoryHandle, entry: ManifestFile): Promise<void> {
    const prefix = `${encodeURIComponent(entry.path)}~`;
    const keep = dataName(entry);
    const stale: string[] = [];
    for await (const file of dir.values()) {
      if (file.name.startsWith(prefix) && file.name !== keep && file.name !== keep + DONE) stale.push(file.name);
    }
    // Records first: a version whose bytes are being removed is never read as complete.
    stale.sort((a, b) => Number(b.endsWith(DONE)) - Number(a.endsWith(DONE)));
    // Best effort: a file another tab is still reading stays until a later download.
    for (const name of stale) await removeIfThere(dir, name).catch(() => undefined);
  }

  private async guard<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isBlenderError(error)) throw error;
      throw new BlenderError('STORAGE_UNAVAILABLE', `the model cache (OPFS) cannot ${what}: ${describeError(error)}`, undefined, { cause: error });
    }
  }
}

/** The OPFS name of a file's bytes (its record adds `.done`). */
export function dataName(entry: Pick<ManifestFile, 'path' | 'sha256'>): string {
  return `${encodeURIComponent(entry.path)}~${entry.sha256}`;
}

/**
 * A file's bytes and their xxHash64, read in one pass: through a read-only sync access handle
 * straight into the result (workers), else the file's blob (another reader or writer holds
 * the file, or no sync handles here).
 */
interface CheckedRead {
  size: number;
  /** Null when the file's size is not the expected one (nothing read then). */
  bytes: Uint8Array | null;
  digest: string;
}

async function readChecked(handle: OpfsFileHandle, expected: number): Promise<CheckedRead> {
  const hash = await xxh64Incremental();
  // A 'read-only' handle lets other tabs read the same file at once.
  const sync: OpfsSyncHandle | null = (await handle.createSyncAccessHandle?.({ mode: 'read-only' }).catch(() => null)) ?? null;
  if (sync) {
    try {
      const size = sync.getSize();
      if (size !== expected) return { size, bytes: null, digest: '' };
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size;) {
        const read = sync.read(bytes.subarray(at, Math.min(size, at + READ_SLICE)), { at });
        if (read <= 0) throw new Error(`the file ended after ${at} of ${size} bytes`);
        hash.update(bytes.subarray(at, at + read));
        at += read;
      }
      return { size, bytes, digest: hash.digest() };
    } finally {
      sync.close();
    }
  }
  const file = await handle.getFile();
  if (file.size !== expected) return { size: file.size, bytes: null, digest: '' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  for (let at = 0; at < bytes.byteLength; at += READ_SLICE) hash.update(bytes.subarray(at, at + READ_SLICE));
  return { size: bytes.byteLength, bytes, digest: hash.digest() };
}

async function records(dir: OpfsDirectoryHandle): Promise<OpfsFileRecord[]> {
  const found: OpfsFileRecord[] = [];
  for await (const file of dir.values()) {
    if (file.kind !== 'file' || !file.name.endsWith(DONE)) continue;
    const record = (await readJson(dir, file.name).catch(() => undefined)) as OpfsFileRecord | undefined;
    if (record && typeof record.path === 'string' && Number.isSafeInteger(record.bytes)) found.push(record);
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * One model file being downloaded into OPFS: each network chunk is written at its offset
 * through a sync access handle as it arrives, so a download that breaks off (even with the
 * tab closed) resumes from the bytes on disk. The file becomes a stored copy only when
 * {@link OpfsPartialFile.commit} writes its `.done` record, after the download's sha256
 * matched. A write that fails (quota exhausted) removes the file and stops keeping bytes:
 * the download goes on in memory and the model loads uncached.
 */
import type { StorageManagerLike, WriteOutcome } from './chunked-cache';
import type { ManifestFile } from './manifest';
import type { OpfsDirectoryHandle, OpfsSyncHandle } from './opfs-handles';
import { storeFailure, writeText, type OpfsFileRecord } from './opfs-io';
import type { DownloadTarget } from './resumable-download';

export type PartialOpen = { opened: true; file: OpfsPartialFile } | { opened: false; reason: string };

export class OpfsPartialFile implements DownloadTarget {
  private failure: string | null = null;
  private closed = false;

  private constructor(
    private readonly dir: OpfsDirectoryHandle,
    private readonly name: string,
    private readonly entry: ManifestFile,
    private readonly sync: OpfsSyncHandle,
  ) {}

  /**
   * Opens (or creates) the file `name` in `dir` for `entry`. Refused where the origin's
   * quota cannot hold the rest of the file, or where another context holds the file.
   */
  static async open(dir: OpfsDirectoryHandle, name: string, entry: ManifestFile, storageManager?: StorageManagerLike): Promise<PartialOpen> {
    const handle = await dir.getFileHandle(name, { create: true });
    if (!handle.createSyncAccessHandle) return { opened: false, reason: 'this context has no OPFS sync access handles' };
    const sync = await openExclusive(handle.createSyncAccessHandle.bind(handle));
    let size = sync.getSize();
    if (size > entry.bytes) {
      sync.truncate(0);
      size = 0;
    }
    const estimate = await storageManager?.estimate().catch(() => undefined);
    const needed = entry.bytes - size;
    if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < needed) {
      sync.close();
      await dir.removeEntry(name).catch(() => undefined);
      return { opened: false, reason: `not enough storage quota (${estimate.quota - estimate.usage} bytes free, ${needed} needed)` };
    }
    return { opened: true, file: new OpfsPartialFile(dir, name, entry, sync) };
  }

  /** Reads the bytes an earlier download left into the start of `into`; returns how many. */
  resume(into: Uint8Array): number {
    if (this.failure) return 0;
    try {
      const size = Math.min(this.sync.getSize(), into.byteLength);
      let at = 0;
      while (at < size) {
        const read = this.sync.read(into.subarray(at, size), { at });
        if (read <= 0) break;
        at += read;
      }
      return at;
    } catch (error) {
      this.fail(error);
      return 0;
    }
  }

  write(chunk: Uint8Array, at: number): void {
    if (this.failure) return;
    try {
      const written = this.sync.write(chunk, { at });
      if (written !== chunk.byteLength) throw new DOMException(`wrote ${written} of ${chunk.byteLength} bytes`, 'QuotaExceededError');
    } catch (error) {
      this.fail(error);
    }
  }

  restart(): void {
    if (this.failure) return;
    try {
      this.sync.truncate(0);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The download's sha256 matched: flushes the bytes, then writes the record that makes them a stored copy. */
  async commit(xxh64: string): Promise<WriteOutcome> {
    if (!this.failure) {
      try {
        this.sync.flush();
      } catch (error) {
        this.fail(error);
      }
    }
    this.close();
    if (this.failure) {
      await this.remove();
      return { stored: false, reason: this.failure };
    }
    const record: OpfsFileRecord = { path: this.entry.path, bytes: this.entry.bytes, sha256: this.entry.sha256, xxh64 };
    try {
      await writeText(this.dir, `${this.name}.done`, JSON.stringify(record));
      return { stored: true };
    } catch (error) {
      await this.dir.removeEntry(`${this.name}.done`).catch(() => undefined);
      await this.remove();
      return { stored: false, reason: storeFailure(error) };
    }
  }

  /** The bytes are wrong (sha256 mismatch): nothing of them is kept. */
  async discard(): Promise<void> {
    this.close();
    await this.remove();
  }

  /** The download stopped (aborted, failed): what arrived stays on disk for the next try. */
  release(): void {
    if (this.closed) return;
    try {
      this.sync.flush();
    } catch {
      // Whatever reached the disk is resumed from; a torn tail fails the sha256 and restarts.
    }
    this.close();
  }

  private fail(error: unknown): void {
    this.failure = storeFailure(error);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.sync.close();
    } catch {
      // Already closed by the browser (the file was removed): nothing to release.
    }
  }

  private async remove(): Promise<void> {
    await this.dir.removeEntry(this.name).catch(() => undefined);
  }
}

/**
 * A read-write sync handle, waiting a little while another context still holds the file: a
 * worker that was just terminated (a cancelled load, a closed tab) releases its handles
 * asynchronously. Downloads are serialized by the model's lock, so a longer hold is a bug
 * elsewhere, and the error then says so.
 */
async function openExclusive(create: () => Promise<OpfsSyncHandle>): Promise<OpfsSyncHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      const busy = (error as { name?: unknown } | null)?.name === 'NoModificationAllowedError';
      if (!busy || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

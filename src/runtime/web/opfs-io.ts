/** Small OPFS file operations the store and its partial files share: records in, records out. */
import { describeError } from './manifest';
import { isNotFound, type OpfsDirectoryHandle } from './opfs-handles';

/** The `.done` record of a stored file. */
export interface OpfsFileRecord {
  path: string;
  bytes: number;
  sha256: string;
  xxh64: string;
}

/** Why a store failed, as the 'not-cached' event says it. */
export function storeFailure(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' ? 'storage quota exceeded' : `storage failed: ${describeError(error)}`;
}

export async function readJson(dir: OpfsDirectoryHandle, name: string): Promise<unknown> {
  let text: string;
  try {
    text = await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/** Writes a small file whole (a record): through a sync handle in workers, a writable stream in pages. */
export async function writeText(dir: OpfsDirectoryHandle, name: string, text: string): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const bytes = new TextEncoder().encode(text);
  if (handle.createSyncAccessHandle) {
    const sync = await handle.createSyncAccessHandle();
    try {
      sync.truncate(0);
      if (sync.write(bytes, { at: 0 }) !== bytes.byteLength) throw new Error(`short write of ${name}`);
      sync.flush();
    } finally {
      sync.close();
    }
    return;
  }
  if (!handle.createWritable) throw new Error('this context cannot write OPFS files');
  const writable = await handle.createWritable();
  await writable.write(bytes);
  await writable.close();
}

export async function removeIfThere(dir: OpfsDirectoryHandle, name: string): Promise<void> {
  await dir.removeEntry(name).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
}

// Probes of the model store's files in the Origin Private File System, run in the page's
// thread (asynchronous OPFS calls only): the e2e specs read, damage and clear them on purpose.
// The layout is src/runtime/web/opfs-store.ts's.
const STORE_DIRECTORY = 'llm-blender-web-models';

async function storeDirectory(): Promise<FileSystemDirectoryHandle | null> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(STORE_DIRECTORY).catch(() => null);
}

async function* storedFiles(): AsyncGenerator<{ dir: FileSystemDirectoryHandle; handle: FileSystemFileHandle }> {
  const store = await storeDirectory();
  if (!store) return;
  for await (const dir of (store as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
    if (dir.kind !== 'directory') continue;
    const model = dir as FileSystemDirectoryHandle;
    for await (const file of (model as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
      if (file.kind === 'file') yield { dir: model, handle: file as FileSystemFileHandle };
    }
  }
}

/** The data file (not a record) whose model path contains `fragment`. */
async function dataFile(fragment: string): Promise<FileSystemFileHandle> {
  for await (const { handle } of storedFiles()) {
    if (handle.name.includes('~') && !handle.name.endsWith('.done') && decodeURIComponent(handle.name).includes(fragment)) return handle;
  }
  throw new Error(`no OPFS file for ${fragment}`);
}

export const opfsProbes = {
  /** Names of every file in the store (`<path>~<sha256>`, `...done`, `model.json`, `manifest.json`), decoded. */
  async opfsFiles(): Promise<Array<{ name: string; size: number }>> {
    const found: Array<{ name: string; size: number }> = [];
    for await (const { handle } of storedFiles()) found.push({ name: decodeURIComponent(handle.name), size: (await handle.getFile()).size });
    return found.sort((a, b) => a.name.localeCompare(b.name));
  },

  /** Flips one byte in the middle of a stored file. */
  async corruptOpfsFile(fragment: string): Promise<string> {
    const handle = await dataFile(fragment);
    const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
    const middle = bytes.length >> 1;
    const writable = await handle.createWritable({ keepExistingData: true });
    await writable.write({ type: 'write', position: middle, data: new Uint8Array([bytes[middle]! ^ 0xff]) });
    await writable.close();
    return handle.name;
  },

  /** Cuts a stored file to half its length. */
  async truncateOpfsFile(fragment: string): Promise<string> {
    const handle = await dataFile(fragment);
    const writable = await handle.createWritable({ keepExistingData: true });
    await writable.truncate(Math.floor((await handle.getFile()).size / 2));
    await writable.close();
    return handle.name;
  },

  /**
   * Every record whose file does not match it (size, sha256): what a load cut short must
   * never leave behind. Empty when the store is sound.
   */
  async unsoundOpfsFiles(): Promise<string[]> {
    const problems: string[] = [];
    for await (const { dir, handle } of storedFiles()) {
      if (!handle.name.endsWith('.done')) continue;
      const record = JSON.parse(await (await handle.getFile()).text()) as { bytes: number; sha256: string };
      const data = await dir.getFileHandle(handle.name.slice(0, -'.done'.length)).catch(() => null);
      if (!data) {
        problems.push(`${handle.name}: its file is missing`);
        continue;
      }
      const bytes = await (await data.getFile()).arrayBuffer();
      const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
      if (bytes.byteLength !== record.bytes || digest !== record.sha256) problems.push(`${handle.name}: the file does not match its record`);
    }
    return problems;
  },

  async clearOpfs(): Promise<void> {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(STORE_DIRECTORY, { recursive: true }).catch(() => undefined);
  },
};

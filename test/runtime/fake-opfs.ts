/**
 * An in-memory Origin Private File System with the semantics the model store relies on:
 * NotFoundError for missing entries, sync access handles that are exclusive ('readwrite')
 * or shared ('read-only', none while a writer holds the file), writes that fail with
 * QuotaExceededError past a byte budget, and `createSyncAccessHandle` only where asked
 * (a worker has it, the page's thread does not).
 */
import type { OpfsBlob, OpfsDirectoryHandle, OpfsFileHandle, OpfsSyncHandle } from '../../src/runtime/web/opfs-handles';

interface FakeFile {
  bytes: Uint8Array;
  writers: number;
  readers: number;
}

export interface FakeOpfs {
  root: () => Promise<OpfsDirectoryHandle>;
  /** The same files as the page's thread sees them: no sync access handles. */
  pageRoot: () => Promise<OpfsDirectoryHandle>;
  /** Every file under the root, by path ('a/b/c'), with its bytes. */
  files(): Map<string, Uint8Array>;
  /** Replaces a file's bytes (to damage a stored copy). */
  setFile(path: string, bytes: Uint8Array): void;
  /** Bytes all files may hold together before writes fail with QuotaExceededError (Infinity: no limit). */
  quota: number;
  /** An error every write to a file whose name passes this test throws (a failing disk); null: none. */
  failWrites: ((name: string) => boolean) | null;
}

const notFound = (name: string) => new DOMException(`${name} was not found`, 'NotFoundError');

export function fakeOpfs(options: { syncHandles?: boolean } = {}): FakeOpfs {
  const workerSync = options.syncHandles ?? true;
  const tree = new Map<string, FakeFile | 'dir'>([['', 'dir']]);
  const state: FakeOpfs = {
    quota: Number.POSITIVE_INFINITY,
    failWrites: null,
    root: async () => directory('', workerSync),
    pageRoot: async () => directory('', false),
    files: () => new Map([...tree].flatMap(([path, entry]) => (entry === 'dir' ? [] : [[path, entry.bytes.slice()] as const]))),
    setFile: (path, bytes) => {
      const file = tree.get(path);
      if (!file || file === 'dir') throw new Error(`no file ${path}`);
      file.bytes = bytes.slice();
    },
  };
  const used = () => [...tree.values()].reduce((sum, entry) => sum + (entry === 'dir' ? 0 : entry.bytes.byteLength), 0);
  const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
  const children = (dir: string) =>
    [...tree.keys()].filter(
      (path) => path !== dir && path.startsWith(dir === '' ? '' : `${dir}/`) && !path.slice(dir === '' ? 0 : dir.length + 1).includes('/'),
    );

  function syncHandle(file: FakeFile, readOnly: boolean, name: string): OpfsSyncHandle {
    let open = true;
    const check = () => {
      if (!open) throw new DOMException('the handle is closed', 'InvalidStateError');
    };
    return {
      read(buffer, at = {}) {
        check();
        const start = at.at ?? 0;
        const part = file.bytes.subarray(start, start + buffer.byteLength);
        buffer.set(part);
        return part.byteLength;
      },
      write(buffer, at = {}) {
        check();
        if (readOnly) throw new DOMException('read-only handle', 'NoModificationAllowedError');
        if (state.failWrites?.(name)) throw new DOMException('An I/O error occurred.', 'InvalidStateError');
        const start = at.at ?? 0;
        const end = Math.max(file.bytes.byteLength, start + buffer.byteLength);
        if (used() - file.bytes.byteLength + end > state.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        if (end > file.bytes.byteLength) {
          const grown = new Uint8Array(end);
          grown.set(file.bytes);
          file.bytes = grown;
        }
        file.bytes.set(buffer, start);
        return buffer.byteLength;
      },
      truncate(size) {
        check();
        const next = new Uint8Array(size);
        next.set(file.bytes.subarray(0, size));
        file.bytes = next;
      },
      getSize: () => (check(), file.bytes.byteLength),
      flush: () => check(),
      close() {
        if (!open) return;
        open = false;
        if (readOnly) file.readers--;
        else file.writers--;
      },
    };
  }

  function fileHandle(path: string, name: string, withSync: boolean): OpfsFileHandle {
    const get = () => {
      const file = tree.get(path);
      if (!file || file === 'dir') throw notFound(name);
      return file;
    };
    const handle: OpfsFileHandle = {
      kind: 'file',
      name,
      async getFile(): Promise<OpfsBlob> {
        const bytes = get().bytes.slice();
        return { size: bytes.byteLength, arrayBuffer: async () => bytes.buffer, text: async () => new TextDecoder().decode(bytes) };
      },
      async createWritable() {
        const file = get();
        let next = new Uint8Array(0);
        return {
          write: async (data: string | Uint8Array) => {
            const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
            const grown = new Uint8Array(next.byteLength + bytes.byteLength);
            grown.set(next);
            grown.set(bytes, next.byteLength);
            next = grown;
          },
          close: async () => void (file.bytes = next),
        };
      },
    };
    if (withSync) {
      handle.createSyncAccessHandle = async (options = {}) => {
        const file = get();
        const readOnly = options.mode === 'read-only';
        if (file.writers > 0 || (!readOnly && file.readers > 0)) throw new DOMException('the file is in use', 'NoModificationAllowedError');
        if (readOnly) file.readers++;
        else file.writers++;
        return syncHandle(file, readOnly, name);
      };
    }
    return handle;
  }

  function directory(path: string, withSync: boolean): OpfsDirectoryHandle {
    const name = path.split('/').at(-1) ?? '';
    return {
      kind: 'directory',
      name,
      async getDirectoryHandle(child, { create = false } = {}) {
        const at = join(path, child);
        const entry = tree.get(at);
        if (entry === 'dir') return directory(at, withSync);
        if (entry) throw new DOMException(`${child} is a file`, 'TypeMismatchError');
        if (!create) throw notFound(child);
        tree.set(at, 'dir');
        return directory(at, withSync);
      },
      async getFileHandle(child, { create = false } = {}) {
        const at = join(path, child);
        const entry = tree.get(at);
        if (entry === 'dir') throw new DOMException(`${child} is a directory`, 'TypeMismatchError');
        if (!entry) {
          if (!create) throw notFound(child);
          tree.set(at, { bytes: new Uint8Array(0), writers: 0, readers: 0 });
        }
        return fileHandle(at, child, withSync);
      },
      async removeEntry(child, { recursive = false } = {}) {
        const at = join(path, child);
        const entry = tree.get(at);
        if (!entry) throw notFound(child);
        if (entry === 'dir') {
          const inside = [...tree.keys()].filter((key) => key.startsWith(`${at}/`));
          if (inside.length > 0 && !recursive) throw new DOMException(`${child} is not empty`, 'InvalidModificationError');
          for (const key of inside) tree.delete(key);
        } else if (entry.writers > 0 || entry.readers > 0) {
          throw new DOMException(`${child} is in use`, 'NoModificationAllowedError');
        }
        tree.delete(at);
      },
      async *values() {
        for (const at of children(path)) {
          const entry = tree.get(at);
          if (!entry) continue;
          const childName = at.split('/').at(-1)!;
          yield entry === 'dir' ? directory(at, withSync) : fileHandle(at, childName, withSync);
        }
      },
    };
  }

  return state;
}

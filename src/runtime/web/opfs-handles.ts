/**
 * The part of the Origin Private File System the model store uses, as interfaces: the real
 * handles (`navigator.storage.getDirectory()`) satisfy them, and Node tests pass an
 * in-memory fake. `createSyncAccessHandle` exists only in dedicated workers; the page's
 * thread (openModelCache) lists and deletes with the asynchronous calls alone.
 */

/** FileSystemSyncAccessHandle: synchronous reads and writes at an offset, no extra copy. */
export interface OpfsSyncHandle {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** What a file's contents are read as where no sync handle can be had. */
export interface OpfsBlob {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

export interface OpfsFileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<OpfsBlob>;
  /** Workers only. 'read-only' handles may be held by several readers at once (Chromium 121+). */
  createSyncAccessHandle?(options?: { mode?: 'readwrite' | 'read-only' }): Promise<OpfsSyncHandle>;
  /** The page's thread: whole-file writes of small records. */
  createWritable?(): Promise<{ write(data: string | Uint8Array): Promise<void>; close(): Promise<void> }>;
}

export interface OpfsDirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectoryHandle>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFileHandle>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  values(): AsyncIterable<OpfsFileHandle | OpfsDirectoryHandle>;
}

/** Where the store's directory comes from: `navigator.storage.getDirectory` in pages. */
export type OpfsRootSource = () => Promise<OpfsDirectoryHandle>;

/** The origin's OPFS root from `storage` (navigator.storage); undefined where the browser has none. */
export function opfsRootOf(storage: { getDirectory?: () => Promise<unknown> } | undefined): OpfsRootSource | undefined {
  const getDirectory = storage?.getDirectory?.bind(storage);
  // The browser's FileSystemDirectoryHandle has every member OpfsDirectoryHandle lists.
  return getDirectory ? async () => (await getDirectory()) as OpfsDirectoryHandle : undefined;
}

/** True for the DOMException a missing entry raises (NotFoundError). */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'NotFoundError';
}

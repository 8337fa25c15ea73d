// The model store's warm load, measured in a worker as the library's worker runs it: a file
// downloaded once into each store (OPFS, IndexedDB), then read back by a new store instance
// per round, interleaved with the raw reads they are compared with and the checks they pay.
import { sha256Incremental, xxh64Hex } from '../../src/runtime/web/file-checksum';
import { indexedDbStorage } from '../../src/runtime/web/idb-storage';
import { sha256Hex } from '../../src/runtime/web/manifest';
import { ModelStore } from '../../src/runtime/web/model-store';
import { opfsRootOf, type OpfsFileHandle, type OpfsSyncHandle } from '../../src/runtime/web/opfs-handles';
import { dataName, OPFS_DIRECTORY } from '../../src/runtime/web/opfs-store';
import type { StoreBenchReply, StoreBenchRequest } from './protocol';

const fetchModel = (url: string, init?: RequestInit) => fetch(url, init);

function opfsStore(): ModelStore {
  return new ModelStore({
    storage: indexedDbStorage('bench-store-opfs', 'models'),
    opfs: opfsRootOf(navigator.storage),
    fetch: fetchModel,
    subtle: crypto.subtle,
    storageManager: navigator.storage,
  });
}

/** The store as before OPFS: IndexedDB only (its own database, so the OPFS store's is empty). */
function idbStore(): ModelStore {
  return new ModelStore({
    storage: indexedDbStorage('bench-store-idb', 'models'),
    fetch: fetchModel,
    subtle: crypto.subtle,
    storageManager: navigator.storage,
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The stored OPFS file's handle (whichever model directory holds it). */
async function storedFile(name: string): Promise<OpfsFileHandle> {
  const root = await (await opfsRootOf(navigator.storage)!()).getDirectoryHandle(OPFS_DIRECTORY);
  for await (const dir of root.values()) {
    if (dir.kind !== 'directory') continue;
    const file = await dir.getFileHandle(name).catch(() => null);
    if (file) return file;
  }
  throw new Error(`${name} is not in OPFS`);
}

/** The floor: the file's bytes through a sync access handle, no check. */
async function rawOpfsRead(handle: OpfsFileHandle): Promise<Uint8Array> {
  const sync: OpfsSyncHandle = await handle.createSyncAccessHandle!({ mode: 'read-only' });
  try {
    const bytes = new Uint8Array(sync.getSize());
    sync.read(bytes, { at: 0 });
    return bytes;
  } finally {
    sync.close();
  }
}

async function sha256Wasm(bytes: Uint8Array): Promise<string> {
  const hash = await sha256Incremental();
  for (let at = 0; at < bytes.byteLength; at += 8 << 20) hash.update(bytes.subarray(at, at + (8 << 20)));
  return hash.digest();
}

async function run(request: StoreBenchRequest): Promise<StoreBenchReply> {
  const { model, path, sha256, bytes } = request;
  const coldOpfs = await timed(() => opfsStore().file(model, path));
  const coldIdb = await timed(() => idbStore().file(model, path));
  if (coldOpfs.value.byteLength !== bytes || coldIdb.value.byteLength !== bytes) throw new Error('a cold load returned the wrong size');
  const choice = await opfsStore().chosenStore();
  if (choice.kind !== 'opfs') throw new Error(`OPFS is not usable here: ${choice.reason}`);
  const handle = await storedFile(dataName({ path, sha256 }));

  const series: StoreBenchReply['series'] = {
    opfsWarm: [],
    idbWarm: [],
    idbReadOnly: [],
    rawOpfsRead: [],
    xxh64: [],
    sha256WebCrypto: [],
    sha256Wasm: [],
  };
  for (let round = 0; round < request.rounds; round++) {
    series.opfsWarm.push((await timed(() => opfsStore().file(model, path))).ms);
    series.idbWarm.push((await timed(() => idbStore().file(model, path))).ms);
    // What the ranker waits for before its session starts today: the IndexedDB read, its sha256 still running.
    const pending = await timed(() => idbStore().fileCheckedLater(model, path));
    series.idbReadOnly.push(pending.ms);
    if (!(await pending.value.verified)) throw new Error('the IndexedDB copy failed its check');
    const raw = await timed(() => rawOpfsRead(handle));
    series.rawOpfsRead.push(raw.ms);
    series.xxh64.push((await timed(() => xxh64Hex(raw.value))).ms);
    const webCrypto = await timed(() => sha256Hex(crypto.subtle, raw.value));
    series.sha256WebCrypto.push(webCrypto.ms);
    const wasm = await timed(() => sha256Wasm(raw.value));
    series.sha256Wasm.push(wasm.ms);
    if (webCrypto.value !== sha256 || wasm.value !== sha256) throw new Error('the stored bytes do not match the manifest');
  }
  return { coldOpfsMs: coldOpfs.ms, coldIdbMs: coldIdb.ms, series };
}

self.onmessage = (event: MessageEvent<StoreBenchRequest>) => {
  run(event.data).then(
    (reply) => self.postMessage(reply),
    (error: unknown) => self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};

// Reads a cached model file's bytes straight back from the model store's IndexedDB (no
// verification, no session): the floor a warm load is compared with. Key layout as in
// src/runtime/web/chunked-cache.ts.
import { createStore, get, getMany } from 'idb-keyval';

export interface IdbReadTimes {
  bytes: number;
  chunks: number;
  /** One get per chunk, one after another (as the store reads). */
  sequentialMs: number;
  /** Every chunk in one read transaction (idb-keyval getMany). */
  oneTransactionMs: number;
}

export async function timeIdbRead(model: string, path: string): Promise<IdbReadTimes> {
  const store = createStore('llm-blender-web', 'models');
  const meta = await get<{ chunkKeys: string[]; bytes: number }>(`file|${model}|${path}`, store);
  if (!meta) throw new Error(`${model}/${path} is not in the model store`);
  let started = performance.now();
  let total = 0;
  for (const key of meta.chunkKeys) total += ((await get(key, store)) as Uint8Array).byteLength;
  const sequentialMs = performance.now() - started;
  started = performance.now();
  const chunks = (await getMany(meta.chunkKeys, store)) as Uint8Array[];
  const oneTransactionMs = performance.now() - started;
  if (total !== meta.bytes || chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) !== meta.bytes) {
    throw new Error(`read ${total} bytes of ${meta.bytes}`);
  }
  return { bytes: total, chunks: meta.chunkKeys.length, sequentialMs, oneTransactionMs };
}

// A bare page for browser tests: exposes the public browser API and a few probes of the
// worker's caches, IndexedDB and OPFS (the tests corrupt them on purpose), on `window.harness`.
import { createStore, entries, set } from 'idb-keyval';
import * as api from '../src/client/index';
import { opfsProbes } from './opfs-probes';

const cacheDb = () => createStore('llm-blender-web', 'models');

const harness = {
  api,
  ...opfsProbes,
  /** Flips one byte of the first stored chunk whose key contains `fileFragment`. */
  async corruptStoredChunk(fileFragment: string): Promise<string> {
    const store = cacheDb();
    const found = (await entries<string, unknown>(store)).find(([key]) => String(key).startsWith('chunk|') && String(key).includes(fileFragment));
    if (!found) throw new Error(`no stored chunk for ${fileFragment}`);
    const [key, value] = found;
    const bytes = (value as Uint8Array).slice();
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    await set(key, bytes, store);
    return String(key);
  },
  async storedKeys(): Promise<string[]> {
    return (await entries<string, unknown>(cacheDb())).map(([key]) => String(key));
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.querySelector('#status')!.textContent = 'ready';

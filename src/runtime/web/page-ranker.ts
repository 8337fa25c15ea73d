/**
 * Loads a PairRM ranker inside the page's worker: model files through the store (cache or
 * network, verified), the backend and dtype from the WebGPU probe and the model's variants,
 * a WebGPU session that falls back to WASM when it cannot be created (keeping the reason),
 * and a warm-up pass so `info()` can report the first run's time. A graph read from the
 * cache is hashed while its session is created; the session is used only once it matched.
 */
import type { LoadedModelInfo, LoadEvent } from '../../client/protocol';
import type { BackendChoice, Dtype, PageDevice } from './backend-choice';
import { openWithFallback, warmUp } from './backend-fallback';
import { availableRankerDtypes, loadRanker, type LoadedRanker, type ModelFiles } from '../common/model-files';
import type { ModelStore, PendingFile, StoreEvent } from './model-store';
import { startOrtRuntime, type OrtModuleLike } from '../common/ort-sessions';
import type { WebGpuProbe } from './webgpu-probe';

export interface PageRankerRequest {
  url: string;
  device: PageDevice;
  dtype: Dtype | 'auto';
  webgpu: WebGpuProbe;
  onLoad: ((event: LoadEvent) => void) | undefined;
}

export interface PageRanker extends LoadedRanker {
  info(): LoadedModelInfo;
}

const ROLE = 'ranker';

export async function loadPageRanker(ort: OrtModuleLike, store: ModelStore, request: PageRankerRequest): Promise<PageRanker> {
  const { url, onLoad } = request;
  const started = performance.now();
  const timings = { downloadMs: 0, sessionMs: 0 };
  const files = await storeModelFiles(store, url, timings, onLoad && ((event) => onLoad({ ...event, role: ROLE })));
  const available = await availableRankerDtypes(files);

  /**
   * `checkLater`: the session is created from the stored graph while its sha256 is checked
   * (the check and ORT's parsing overlap), and is released unused if the check fails; then
   * the graph is read again the strict way, which downloads a fresh copy.
   */
  const open = async (choice: BackendChoice, checkLater = true): Promise<LoadedRanker & { firstRunMs: number }> => {
    let sessionStarted = 0;
    const checks: Promise<boolean>[] = [];
    // ORT's runtime starts while the files are read (the graph's read takes seconds).
    const runtimeStarted = startOrtRuntime(ort, choice.backend);
    // Session creation starts once the graph's bytes are in hand.
    const graphFiles: ModelFiles = {
      ...files,
      onnxModel: async (path) => {
        let bytes: Uint8Array | string;
        if (checkLater) {
          const pending = await files.onnxModelCheckedLater(path);
          checks.push(pending.verified);
          bytes = pending.bytes;
        } else {
          bytes = await files.onnxModel(path);
        }
        sessionStarted = performance.now();
        await runtimeStarted;
        onLoad?.({ stage: 'session', role: ROLE, backend: choice.backend, dtype: choice.dtype, status: 'creating' });
        return bytes;
      },
    };
    const allVerified = async () => (await Promise.all(checks)).every(Boolean);
    let loaded: LoadedRanker;
    try {
      loaded = await loadRanker(graphFiles, ort, choice.dtype, { executionProviders: [choice.backend], graphOptimizationLevel: 'all' });
    } catch (error) {
      // A corrupt stored graph may well fail to parse: that is the cache's fault, not the model's.
      if (await allVerified()) throw error;
      return open(choice, false);
    }
    if (!(await allVerified())) {
      await loaded.session.release().catch(() => undefined);
      return open(choice, false);
    }
    timings.sessionMs += performance.now() - sessionStarted;
    const firstRunMs = await warmUp(
      () => loaded.engine.compare([''], [''], [''], { mode: '[A,B]', returnLogits: true }),
      () => loaded.session.release(),
    );
    onLoad?.({ stage: 'session', role: ROLE, backend: choice.backend, dtype: choice.dtype, status: 'ready' });
    return { ...loaded, firstRunMs };
  };

  const { loaded, choice } = await openWithFallback(ROLE, request, available, open);

  const baseline = { ...loaded.engine.stats };
  const loadMs = performance.now() - started;
  const { firstRunMs } = loaded;

  return {
    ...loaded,
    info: () => ({
      source: url,
      file: loaded.file,
      backend: choice.backend,
      dtype: choice.dtype,
      reason: choice.reason,
      timings: { ...timings, firstRunMs, loadMs },
      passes: loaded.engine.stats.passes - baseline.passes,
      computeMs: loaded.engine.stats.computeMs - baseline.computeMs,
    }),
  };
}

interface StoreModelFiles extends ModelFiles {
  /** The graph's bytes while their sha256 is still checked (ModelStore.fileCheckedLater). */
  onnxModelCheckedLater(path: string): Promise<PendingFile>;
}

/** A model folder read through the store: every file verified against the manifest. */
async function storeModelFiles(
  store: ModelStore,
  url: string,
  timings: { downloadMs: number },
  onEvent: ((event: StoreEvent) => void) | undefined,
): Promise<StoreModelFiles> {
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  const timed = async <T>(read: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await read();
    timings.downloadMs += performance.now() - started;
    return result;
  };
  const read = (path: string) => timed(() => store.file(url, path, { onEvent }));
  return {
    location: url,
    has: async (path) => listed.has(path),
    readJson: async (path) => JSON.parse(new TextDecoder().decode(await read(path))),
    onnxModel: read,
    onnxModelCheckedLater: (path) => timed(() => store.fileCheckedLater(url, path, { onEvent })),
  };
}

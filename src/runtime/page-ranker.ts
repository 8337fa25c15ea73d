/**
 * Loads a PairRM ranker inside the page's worker: model files through the store (cache or
 * network, verified), the backend and dtype from the WebGPU probe and the model's variants,
 * a WebGPU session that falls back to WASM when it cannot be created (keeping the reason),
 * and a warm-up pass so `info()` can report the first run's time.
 */
import type { LoadedModelInfo, LoadEvent } from '../client/protocol';
import type { BackendChoice, Dtype, PageDevice } from './backend-choice';
import { openWithFallback, warmUp } from './backend-fallback';
import { availableRankerDtypes, loadRanker, type LoadedRanker, type ModelFiles } from './model-files';
import type { ModelStore, StoreEvent } from './model-store';
import type { OrtModuleLike } from './ort-sessions';
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

  const open = async (choice: BackendChoice): Promise<LoadedRanker & { firstRunMs: number }> => {
    let sessionStarted = 0;
    // Session creation starts once the graph's bytes are in hand.
    const graphFiles: ModelFiles = {
      ...files,
      onnxModel: async (path) => {
        const bytes = await files.onnxModel(path);
        sessionStarted = performance.now();
        onLoad?.({ stage: 'session', role: ROLE, backend: choice.backend, dtype: choice.dtype, status: 'creating' });
        return bytes;
      },
    };
    const loaded = await loadRanker(graphFiles, ort, choice.dtype, { executionProviders: [choice.backend], graphOptimizationLevel: 'all' });
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

/** A model folder read through the store: every file verified against the manifest. */
async function storeModelFiles(
  store: ModelStore,
  url: string,
  timings: { downloadMs: number },
  onEvent: ((event: StoreEvent) => void) | undefined,
): Promise<ModelFiles> {
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  const read = async (path: string) => {
    const started = performance.now();
    const bytes = await store.file(url, path, { onEvent });
    timings.downloadMs += performance.now() - started;
    return bytes;
  };
  return {
    location: url,
    has: async (path) => listed.has(path),
    readJson: async (path) => JSON.parse(new TextDecoder().decode(await read(path))),
    onnxModel: read,
  };
}

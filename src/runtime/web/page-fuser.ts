/**
 * Loads GenFuser inside the page's worker on the ranker's backend rules: the files through
 * the model store (cache or network, verified), the backend and dtype from the WebGPU probe
 * and the folder's variants (src/runtime/web/backend-choice.ts), a warm-up generation step, and
 * for `auto` a fallback to WASM when WebGPU cannot load or run the model (reason kept).
 */
import type { LoadedModelInfo, LoadEvent } from '../../client/protocol';
import { BlenderError } from '../../engine/errors';
import type { BackendChoice, Dtype, PageDevice } from './backend-choice';
import { openWithFallback, warmUp } from './backend-fallback';
import { fuserFiles, loadFuser, type LoadedFuser } from '../common/fuser';
import { folderBytesCache, serveOnlyFrom } from './fuser-store-cache';
import type { ModelStore } from './model-store';
import type { WebGpuProbe } from './webgpu-probe';

export interface PageFuserRequest {
  url: string;
  device: PageDevice;
  dtype: Dtype | 'auto';
  webgpu: WebGpuProbe;
  onLoad: ((event: LoadEvent) => void) | undefined;
}

export interface PageFuser extends LoadedFuser {
  info(): LoadedModelInfo;
}

const ROLE = 'fuser';
const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
/** JSON files transformers.js reads, when the folder has them. */
const JSON_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'];

export async function loadPageFuser(store: ModelStore, request: PageFuserRequest): Promise<PageFuser> {
  const { url, onLoad } = request;
  const started = performance.now();
  const timings = { downloadMs: 0, sessionMs: 0 };
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const required of ['config.json', 'tokenizer.json']) {
    if (!listed.has(required)) throw new BlenderError('MODEL_INVALID', `${url} lists no ${required}: not a GenFuser folder`, 'fuser');
  }
  const available = DTYPES.filter((dtype) => fuserFiles(dtype).every((file) => listed.has(file)));

  const open = async (choice: BackendChoice): Promise<LoadedFuser & { firstRunMs: number }> => {
    const downloadStarted = performance.now();
    const bytes = await store.files(url, [...JSON_FILES.filter((file) => listed.has(file)), ...fuserFiles(choice.dtype)], {
      onEvent: onLoad && ((event) => onLoad({ ...event, role: ROLE })),
    });
    timings.downloadMs += performance.now() - downloadStarted;
    const sessionStarted = performance.now();
    onLoad?.({ stage: 'session', role: ROLE, backend: choice.backend, dtype: choice.dtype, status: 'creating' });
    const detach = serveOnlyFrom(folderBytesCache(url, bytes));
    let loaded: LoadedFuser;
    try {
      loaded = await loadFuser(url, { device: choice.backend, dtype: choice.dtype });
    } finally {
      detach();
    }
    timings.sessionMs += performance.now() - sessionStarted;
    const firstRunMs = await warmUp(
      () => loaded.engine.fuse([''], [['']], { maxNewTokens: 1, numBeams: 1 }),
      () => loaded.model.dispose(),
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
      file: loaded.files.join(', '),
      backend: choice.backend,
      dtype: choice.dtype,
      reason: choice.reason,
      timings: { ...timings, firstRunMs, loadMs },
      // For the fuser a "pass" is one fused input.
      passes: loaded.engine.stats.generations - baseline.generations,
      computeMs: loaded.engine.stats.computeMs - baseline.computeMs,
    }),
  };
}

/**
 * Loads a PairRM ranker inside the page's worker: model bytes through the store (cache or
 * network, verified), the backend and dtype from the WebGPU probe and the model's variants,
 * a WebGPU session that falls back to WASM when it cannot be created (keeping the reason),
 * and a warm-up pass so `info()` can report the first run's time.
 */
import { RankingEngine } from '../engine/engine';
import { isBlenderError } from '../engine/errors';
import { readPairRankerConfig } from '../engine/pair-config';
import type { LoadedModelInfo, LoadEvent } from '../client/protocol';
import { chooseBackend, type BackendChoice, type Dtype, type PageDevice } from './backend-choice';
import type { ModelStore, StoreEvent } from './model-store';
import { createRankerSession, DTYPE_SUFFIX, rankerFile, type OrtModuleLike, type RankerSession } from './ort-sessions';
import { createPlainTextTokenizer } from './tokenizer';
import type { WebGpuProbe } from './webgpu-probe';

export interface PageRankerRequest {
  url: string;
  device: PageDevice;
  dtype: Dtype | 'auto';
  webgpu: WebGpuProbe;
  onLoad: ((event: LoadEvent) => void) | undefined;
}

export interface PageRanker {
  engine: RankingEngine;
  session: RankerSession;
  info(): LoadedModelInfo;
}

const ROLE = 'ranker';

export async function loadPageRanker(ort: OrtModuleLike, store: ModelStore, request: PageRankerRequest): Promise<PageRanker> {
  const { url, onLoad } = request;
  const onEvent = onLoad && ((event: StoreEvent) => onLoad({ ...event, role: ROLE }));
  const started = performance.now();
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  const available = (Object.keys(DTYPE_SUFFIX) as Dtype[]).filter((dtype) => listed.has(rankerFile(dtype)));
  let choice = chooseBackend({ device: request.device, dtype: request.dtype, webgpu: request.webgpu, available });

  const metaFiles = ['config.json', 'tokenizer.json', ...(listed.has('tokenizer_config.json') ? ['tokenizer_config.json'] : [])];
  const meta = await store.files(url, metaFiles, { onEvent });
  const json = (path: string): unknown => JSON.parse(new TextDecoder().decode(meta.get(path)));
  const config = readPairRankerConfig(json('config.json'), url);
  const tokenizer = createPlainTextTokenizer(json('tokenizer.json'), meta.has('tokenizer_config.json') ? json('tokenizer_config.json') : {}, url);

  let downloadMs = 0;
  let sessionMs = 0;
  const open = async (backend: BackendChoice): Promise<RankerSession> => {
    const fetchStarted = performance.now();
    const bytes = await store.file(url, rankerFile(backend.dtype), { onEvent });
    downloadMs += performance.now() - fetchStarted;
    onLoad?.({ stage: 'session', role: ROLE, backend: backend.backend, dtype: backend.dtype, status: 'creating' });
    const sessionStarted = performance.now();
    const session = await createRankerSession(ort, bytes, { executionProviders: [backend.backend], graphOptimizationLevel: 'all' }, url);
    sessionMs += performance.now() - sessionStarted;
    onLoad?.({ stage: 'session', role: ROLE, backend: backend.backend, dtype: backend.dtype, status: 'ready' });
    return session;
  };

  let session: RankerSession;
  try {
    session = await open(choice);
  } catch (error) {
    // Only `auto` may fall back: a forced WebGPU that fails is the caller's answer.
    if (choice.backend !== 'webgpu' || request.device !== 'auto' || !isBlenderError(error) || error.code !== 'MODEL_LOAD_FAILED') {
      throw error;
    }
    const wasm = chooseBackend({ device: 'wasm', dtype: request.dtype, webgpu: request.webgpu, available });
    const reason = `WASM: the WebGPU session failed (${error.message})`;
    onLoad?.({ stage: 'fallback', role: ROLE, from: 'webgpu', to: 'wasm', reason });
    choice = { ...wasm, reason };
    session = await open(choice);
  }

  const engine = new RankingEngine(session, tokenizer, config);
  // One pass now: the first user call does not pay for kernel compilation, and info() can
  // report what that first run cost.
  const warmStarted = performance.now();
  await engine.compare([''], [''], [''], { mode: '[A,B]', returnLogits: true });
  const firstRunMs = performance.now() - warmStarted;
  const baseline = { passes: engine.stats.passes, computeMs: engine.stats.computeMs };
  const loadMs = performance.now() - started;

  return {
    engine,
    session,
    info: () => ({
      source: url,
      file: rankerFile(choice.dtype),
      backend: choice.backend,
      dtype: choice.dtype,
      reason: choice.reason,
      timings: { downloadMs, sessionMs, firstRunMs, loadMs },
      passes: engine.stats.passes - baseline.passes,
      computeMs: engine.stats.computeMs - baseline.computeMs,
    }),
  };
}

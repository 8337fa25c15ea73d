/**
 * Loads a PairRM ranker inside the page's worker (the shared steps are in page-loader.ts):
 * model files through the store (cache or network, verified), and a session per backend. A
 * graph read from the cache is hashed while its session is created; the session is used
 * only once the hash matched.
 */
import { ENGINE_DEFAULTS } from '../../engine/call-options';
import { DEFAULT_PAIR_CACHE_SIZE } from '../../engine/pair-cache';
import { availableRankerDtypes, loadRanker, type LoadedRanker, type ModelFiles } from '../common/model-files';
import { readProbe, type RankerProbe } from '../common/probe';
import { runRankerProbe } from '../common/probe-run';
import { startOrtRuntime, type OrtModuleLike } from '../common/ort-sessions';
import type { BackendChoice } from './backend-choice';
import type { ModelStore, PendingFile } from './model-store';
import { loadingAs, PageModelLoad, type OpenedModel, type PageModel, type PageModelRequest } from './page-loader';

export type PageRanker = PageModel<LoadedRanker>;

/** `pairCache`: entries of the engine's exact pair cache (createBlender's option); 0 = off. */
export function loadPageRanker(ort: OrtModuleLike, store: ModelStore, request: PageModelRequest, pairCache = DEFAULT_PAIR_CACHE_SIZE): Promise<PageRanker> {
  return loadingAs('ranker', () => openPageRanker(ort, store, request, pairCache));
}

async function openPageRanker(ort: OrtModuleLike, store: ModelStore, request: PageModelRequest, pairCache: number): Promise<PageRanker> {
  const load = new PageModelLoad('ranker', request);
  const files = await storeModelFiles(store, load);
  const available = await availableRankerDtypes(files);
  const probe = readProbe(await store.manifest(request.url), 'ranker', request.url);

  /**
   * `checkLater`: the session is created from the stored graph while its sha256 is checked
   * (the check and ORT's parsing overlap), and is released unused if the check fails; then
   * the graph is read again the strict way, which downloads a fresh copy.
   */
  const open = async (choice: BackendChoice, checkLater = true): Promise<OpenedModel<LoadedRanker>> => {
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
        load.creatingSession(choice);
        await runtimeStarted;
        return bytes;
      },
    };
    const allVerified = async () => (await Promise.all(checks)).every(Boolean);
    let loaded: LoadedRanker;
    try {
      loaded = await loadRanker(
        graphFiles,
        ort,
        choice.dtype,
        { executionProviders: [choice.backend], graphOptimizationLevel: 'all' },
        ENGINE_DEFAULTS,
        pairCache,
      );
    } catch (error) {
      // A corrupt stored graph may well fail to parse: that is the cache's fault, not the model's.
      if (await allVerified()) throw error;
      return open(choice, false);
    }
    if (!(await allVerified())) {
      await loaded.session.release().catch(() => undefined);
      return open(choice, false);
    }
    return {
      model: loaded,
      files: [loaded.file],
      work: () => ({ ...loaded.engine.stats }),
      warmUp: async () => {
        await loaded.engine.compare([''], [''], [''], { mode: '[A,B]', returnLogits: true });
        // The warm-up is the load's: the caller's cache starts empty, its counts at 0.
        loaded.engine.pairCache.clear();
      },
      // Through the session, not the engine: the probe's rows never enter the pair cache.
      runProbe: (p) => runRankerProbe(loaded.session, p as RankerProbe),
      pairCache: () => loaded.engine.pairCache.info(),
      release: () => loaded.session.release(),
    };
  };

  return load.open(available, probe, (choice) => open(choice));
}

interface StoreModelFiles extends ModelFiles {
  /** The graph's bytes while their sha256 is still checked (ModelStore.fileCheckedLater). */
  onnxModelCheckedLater(path: string): Promise<PendingFile>;
}

/** A model folder read through the store: every file verified against the manifest. */
async function storeModelFiles(store: ModelStore, load: PageModelLoad): Promise<StoreModelFiles> {
  const { url, onStoreEvent: onEvent } = load;
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  const read = (path: string) => load.download(() => store.file(url, path, { onEvent }));
  return {
    location: url,
    has: async (path) => listed.has(path),
    readJson: async (path) => JSON.parse(new TextDecoder().decode(await read(path))) as unknown,
    onnxModel: read,
    onnxModelCheckedLater: (path) => load.download(() => store.fileCheckedLater(url, path, { onEvent })),
  };
}

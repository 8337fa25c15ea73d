/**
 * Loads GenFuser inside the page's worker (the shared steps are in page-loader.ts): the
 * files through the model store (cache or network, verified), served to transformers.js
 * from memory, and a model per backend.
 */
import { BlenderError } from '../../engine/errors';
import { DTYPES } from '../common/dtypes';
import { fuserFiles, loadFuser, type LoadedFuser } from '../common/fuser';
import { readProbe, type FuserProbe } from '../common/probe';
import { runFuserProbe } from '../common/probe-run';
import type { BackendChoice } from './backend-choice';
import { folderBytesCache, serveOnlyFrom } from './fuser-store-cache';
import type { ModelStore } from './model-store';
import { loadingAs, PageModelLoad, type OpenedModel, type PageModel, type PageModelRequest } from './page-loader';

export type PageFuser = PageModel<LoadedFuser>;

/** JSON files transformers.js reads, when the folder has them. */
const JSON_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json'];

export function loadPageFuser(store: ModelStore, request: PageModelRequest): Promise<PageFuser> {
  return loadingAs('fuser', () => openPageFuser(store, request));
}

async function openPageFuser(store: ModelStore, request: PageModelRequest): Promise<PageFuser> {
  const load = new PageModelLoad('fuser', request);
  const { url } = request;
  const manifest = await store.manifest(url);
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const required of ['config.json', 'tokenizer.json']) {
    if (!listed.has(required)) throw new BlenderError('MODEL_INVALID', `${url} lists no ${required}: not a GenFuser folder`, 'options.fuser');
  }
  const available = DTYPES.filter((dtype) => fuserFiles(dtype).every((file) => listed.has(file)));
  const probe = readProbe(manifest, 'fuser', url);

  const open = async (choice: BackendChoice): Promise<OpenedModel<LoadedFuser>> => {
    const paths = [...JSON_FILES.filter((file) => listed.has(file)), ...fuserFiles(choice.dtype)];
    const bytes = await load.download(() => store.files(url, paths, { onEvent: load.onStoreEvent }));
    load.creatingSession(choice);
    const detach = serveOnlyFrom(folderBytesCache(url, bytes));
    let loaded: LoadedFuser;
    try {
      loaded = await loadFuser(url, { device: choice.backend, dtype: choice.dtype });
    } finally {
      detach();
    }
    return {
      model: loaded,
      files: loaded.files,
      work: () => ({ passes: loaded.engine.stats.generations, computeMs: loaded.engine.stats.computeMs }),
      warmUp: () => loaded.engine.fuse([''], [['']], { maxNewTokens: 1, numBeams: 1 }),
      runProbe: (p) => runFuserProbe(loaded.model, p as FuserProbe),
      release: () => loaded.model.dispose(),
    };
  };

  return load.open(available, probe, open);
}

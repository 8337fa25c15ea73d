/**
 * Loading a ranker from a model folder, whatever hosts it: Node reads files from disk, the
 * worker reads them from its model store. The host supplies the files and the ORT module;
 * this file turns them into a ready RankingEngine.
 */
import { ENGINE_DEFAULTS, type RunDefaults } from '../../engine/call-options';
import { RankingEngine } from '../../engine/engine';
import { DEFAULT_PAIR_CACHE_SIZE, PairCache } from '../../engine/pair-cache';
import { BlenderError } from '../../engine/errors';
import { readPairRankerConfig } from '../../engine/pair-config';
import type { PairRankerConfig } from '../../engine/types';
import { DTYPES, type Dtype } from './dtypes';
import { createRankerSession, rankerFile, type OrtModuleLike, type OrtSessionOptions, type RankerSession } from './ort-sessions';
import { createPlainTextTokenizer } from './tokenizer';

/** Read access to one model folder (paths relative to it, `/`-separated). */
export interface ModelFiles {
  /** Where the folder is, for messages and info(). */
  readonly location: string;
  has(path: string): Promise<boolean>;
  readJson(path: string): Promise<unknown>;
  /**
   * The ONNX graph as bytes, or as a path the ORT module opens itself (onnxruntime-node
   * with a file path is the only way to load a model with external data).
   */
  onnxModel(path: string): Promise<Uint8Array | string>;
}

export interface LoadedRanker {
  engine: RankingEngine;
  session: RankerSession;
  config: PairRankerConfig;
  dtype: Dtype;
  file: string;
  loadMs: number;
}

/** The dtypes a folder has a ranker graph for. */
export async function availableRankerDtypes(files: ModelFiles): Promise<Dtype[]> {
  const present = await Promise.all(DTYPES.map((dtype) => files.has(rankerFile(dtype))));
  return DTYPES.filter((_, k) => present[k]);
}

export async function loadRanker(
  files: ModelFiles,
  ort: OrtModuleLike,
  dtype: Dtype,
  sessionOptions: OrtSessionOptions,
  defaults: RunDefaults = ENGINE_DEFAULTS,
  /** Entries of the engine's exact pair cache; 0 = off. */
  pairCache: number = DEFAULT_PAIR_CACHE_SIZE,
): Promise<LoadedRanker> {
  const started = performance.now();
  const config = readPairRankerConfig(await readRequired(files, 'config.json'), files.location);
  const tokenizer = createPlainTextTokenizer(
    await readRequired(files, 'tokenizer.json'),
    (await files.has('tokenizer_config.json')) ? await files.readJson('tokenizer_config.json') : {},
    files.location,
  );
  const file = rankerFile(dtype);
  if (!(await files.has(file))) {
    throw new BlenderError('INVALID_OPTION', `dtype '${dtype}' was asked for but ${files.location} has no ${file}`, 'options.dtype');
  }
  const session = await createRankerSession(ort, await files.onnxModel(file), sessionOptions, `${files.location}/${file}`);
  return {
    engine: new RankingEngine(session, tokenizer, config, defaults, new PairCache(pairCache)),
    session,
    config,
    dtype,
    file,
    loadMs: performance.now() - started,
  };
}

async function readRequired(files: ModelFiles, path: string): Promise<unknown> {
  if (!(await files.has(path))) {
    throw new BlenderError('MODEL_INVALID', `${files.location} has no ${path}: not a PairRM model folder`, 'options.ranker');
  }
  return files.readJson(path);
}

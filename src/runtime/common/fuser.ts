/**
 * Loading GenFuser (a Flan-T5 export in transformers.js's layout) with transformers.js,
 * whatever hosts it: Node reads the folder from disk, the page's worker serves the files
 * from its model store (src/runtime/web/fuser-store-cache.ts). The host sets transformers.js's
 * `env` (where files may come from) before calling this.
 */
import { AutoModelForSeq2SeqLM, AutoTokenizer } from '@huggingface/transformers';
import { BlenderError, isBlenderError } from '../../engine/errors';
import { readFuserConfig, type FuserConfig, type FuseTokenizer } from '../../engine/fuse-prompt';
import { FusionEngine, type FuserGenerator } from '../../engine/fusion-engine';
import { graphFile, type Dtype } from './dtypes';
import { seq2seqGenerator } from './fuser-generator';
import type { Seq2SeqModel } from './seq2seq-generate';

export type FuserDevice = 'cpu' | 'webgpu' | 'wasm';

export interface FuserLoadOptions {
  device: FuserDevice;
  dtype: Dtype;
  /** onnxruntime session options (threads in Node). */
  sessionOptions?: Record<string, unknown>;
}

export interface LoadedFuser {
  engine: FusionEngine;
  /** The engine's parts, for hosts and tests that build their own. */
  generator: FuserGenerator;
  tokenizer: FuseTokenizer;
  model: Seq2SeqModel & { dispose(): Promise<unknown> };
  source: string;
  device: FuserDevice;
  dtype: Dtype;
  /** The graphs loaded, relative to the folder. */
  files: string[];
  loadMs: number;
}

/** The encoder and merged decoder graphs of a dtype (the files a fuser needs besides JSON). */
export function fuserFiles(dtype: Dtype): string[] {
  return ['encoder_model', 'decoder_model_merged'].map((stem) => graphFile(stem, dtype));
}

/**
 * transformers.js's device options. In pages the execution provider is named directly
 * and the device left blank per graph: with an onnxruntime registered through
 * `Symbol.for('onnxruntime')` (src/runtime/web/ort-web.ts), transformers.js 4.3 knows no
 * supported device and rejects every device name, while a blank device (per graph, so
 * its default does not apply) lets the given executionProviders through. The cost: it
 * does not keep WebGPU's key/value outputs on the GPU (src/runtime/common/seq2seq-generate.ts
 * handles both).
 */
function deviceOptions(options: FuserLoadOptions): Record<string, unknown> {
  if (options.device === 'cpu') {
    return { device: 'cpu', ...(options.sessionOptions ? { session_options: options.sessionOptions } : {}) };
  }
  return {
    device: { encoder_model: '', decoder_model_merged: '' },
    session_options: { ...options.sessionOptions, executionProviders: [options.device] },
  };
}

/** `source`: an absolute folder path (Node) or an absolute URL (pages). */
export async function loadFuser(source: string, options: FuserLoadOptions): Promise<LoadedFuser> {
  const started = performance.now();
  let model: LoadedFuser['model'];
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    [model, tokenizer] = await Promise.all([
      AutoModelForSeq2SeqLM.from_pretrained(source, { dtype: options.dtype, ...deviceOptions(options) }) as unknown as Promise<LoadedFuser['model']>,
      AutoTokenizer.from_pretrained(source),
    ]);
  } catch (error) {
    if (isBlenderError(error)) throw error;
    throw new BlenderError('MODEL_LOAD_FAILED', `could not load the fuser from ${source}: ${error instanceof Error ? error.message : String(error)}`, 'fuser', {
      cause: error,
    });
  }
  let config: FuserConfig;
  try {
    config = readFuserConfig(model.config, source);
  } catch (error) {
    // Not a GenFuser export (MODEL_INVALID): its sessions are of no use to anyone.
    await model.dispose().catch(() => undefined);
    throw error;
  }
  const fuseTokenizer: FuseTokenizer = {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids, skipSpecialTokens) => tokenizer.decode([...ids], { skip_special_tokens: skipSpecialTokens }),
  };
  const generator = seq2seqGenerator(model);
  return {
    engine: new FusionEngine(generator, fuseTokenizer, config),
    generator,
    tokenizer: fuseTokenizer,
    model,
    source,
    device: options.device,
    dtype: options.dtype,
    files: fuserFiles(options.dtype),
    loadMs: performance.now() - started,
  };
}

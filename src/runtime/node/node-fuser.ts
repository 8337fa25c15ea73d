import { resolve } from 'node:path';
import { env } from '@huggingface/transformers';
import { BlenderError } from '../../engine/errors';
import type { Dtype } from '../common/dtypes';
import { fuserFiles, loadFuser, type LoadedFuser } from '../common/fuser';
import { existsSync } from 'node:fs';

/**
 * The fuser in Node: transformers.js on its CPU device (onnxruntime-node), the folder read
 * from disk only (never the Hub, whatever the folder is called).
 */
export async function loadNodeFuser(folder: string, dtype: Dtype, threads: number | undefined): Promise<LoadedFuser> {
  const absolute = resolve(folder);
  for (const file of ['config.json', 'tokenizer.json', ...fuserFiles(dtype)]) {
    if (!existsSync(resolve(absolute, file))) {
      throw new BlenderError(
        file.endsWith('.onnx') ? 'INVALID_OPTION' : 'MODEL_INVALID',
        `${folder} has no ${file}: not a GenFuser folder${file.endsWith('.onnx') ? ` for dtype '${dtype}'` : ''}`,
        file.endsWith('.onnx') ? 'options.dtype' : 'options.fuser',
      );
    }
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  return loadFuser(absolute, {
    device: 'cpu',
    dtype,
    ...(threads !== undefined ? { sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } } : {}),
  });
}

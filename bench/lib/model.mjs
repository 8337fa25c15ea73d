// The benchmark model folder: where it is, its PairRM config and its variants' sizes.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/** transformers.js file names per dtype (as src/runtime/common/dtypes.ts, docs/model-folder.md §1). */
export const DTYPE_FILES = { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', q8: 'onnx/model_quantized.onnx', q4: 'onnx/model_q4.onnx' };

export function openModel(dir) {
  const absolute = resolve(dir);
  const inRepo = relative(process.cwd(), absolute);
  if (inRepo.startsWith('..')) throw new Error(`${dir}: the model folder must be inside the repository (the bench page serves it)`);
  if (!existsSync(`${absolute}/manifest.json`)) {
    throw new Error(`${dir} has no manifest.json: build it with  nice -n 10 bash tools/pairrm/make_large.sh [--layers N]`);
  }
  const config = JSON.parse(readFileSync(`${absolute}/config.json`, 'utf8'));
  const manifest = JSON.parse(readFileSync(`${absolute}/manifest.json`, 'utf8'));
  const bytes = Object.fromEntries(Object.entries(DTYPE_FILES).map(([dtype, file]) => [dtype, manifest.files.find((f) => f.path === file)?.bytes ?? null]));
  // Bytes on the wire for a page that loads one variant: the graph plus config and tokenizer files.
  const common = manifest.files.filter((f) => !f.path.startsWith('onnx/')).reduce((sum, f) => sum + f.bytes, 0);
  return {
    dir: absolute,
    relative: inRepo,
    config,
    layers: config.num_hidden_layers,
    hidden: config.hidden_size,
    vocab: config.vocab_size,
    bytes,
    commonBytes: common,
    agreement: manifest.agreement ?? null,
    available: Object.keys(DTYPE_FILES).filter((dtype) => bytes[dtype] !== null),
  };
}

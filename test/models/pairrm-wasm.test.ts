// The tiny PairRM on onnxruntime-web's WASM backend (the browser's CPU path), run in Node:
// every variant loads (no op the web build lacks) and agrees with the goldens.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { goldens, TINY_PAIRRM } from './pairrm-golden';
import { padRows } from './pairrm-onnx';

// Never a CDN: the wasm files shipped in node_modules, one thread.
const wasmFile = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
ort.env.wasm.wasmPaths = `${pathToFileURL(dirname(wasmFile)).href}/`;
ort.env.wasm.numThreads = 1;

async function wasmLogits(file: string): Promise<Float32Array> {
  const bytes = readFileSync(join(TINY_PAIRRM, 'onnx', file));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const { ids, mask } = padRows(
    goldens.pairs.map((p) => p.input_ids),
    0,
  );
  const shape = [ids.length, ids[0]?.length ?? 0];
  const tensor = (rows: number[][]) =>
    new ort.Tensor(
      'int64',
      BigInt64Array.from(rows.flat(), (v) => BigInt(v)),
      shape,
    );
  const out = await session.run({ input_ids: tensor(ids), attention_mask: tensor(mask) });
  await session.release();
  return out['logits']?.data as Float32Array;
}

describe('tiny PairRM on onnxruntime-web WASM', () => {
  const golden = goldens.pairs.map((p) => p.logit);

  it('fp32 reproduces the golden logits to 1e-5', async () => {
    const logits = await wasmLogits('model.onnx');
    golden.forEach((l, i) => expect(Math.abs((logits[i] ?? NaN) - l), goldens.pairs[i]?.name).toBeLessThanOrEqual(1e-5));
  });

  it.each(['model_fp16.onnx', 'model_quantized.onnx', 'model_q4.onnx'])('%s runs and agrees in sign on at least 95 percent', async (file) => {
    const logits = await wasmLogits(file);
    const agree = golden.filter((l, i) => Math.sign(l) === Math.sign(logits[i] ?? NaN)).length;
    expect(agree / golden.length).toBeGreaterThanOrEqual(0.95);
  });
});

// The fp16 / q8 / q4 variants written by tools/common/variants.py, on the tiny fixture
// graph made by test/fixtures/tooling/make_fixtures.py (torch.onnx export, opset 17).
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { maxAbsDiff, relativeError, runModel, type JsonTensor, type RunOutput } from './ort-run';

const dir = new URL('../fixtures/tooling/', import.meta.url).pathname;

interface TinyIo {
  feeds: Record<string, JsonTensor>;
  outputs: Record<'logits' | 'hidden', { dims: number[]; data: number[] }>;
}
const tiny = JSON.parse(readFileSync(`${dir}tiny_io.json`, 'utf8')) as TinyIo;

// Relative L2 error bounds vs PyTorch fp32 (||variant - fp32|| / ||fp32||), per output.
// fp16: unit roundoff 2^-11 ~ 4.9e-4 per rounding; a handful of roundings along the path
//   (measured 4.6e-4 on hidden, 2.0e-4 on logits) -> 4 u = 2e-3.
// q8: weight step absmax/127 per block of 32, plus on onnxruntime-node the int8 activation
//   step absmax/127 per block (accuracy_level 4), over 8 MatMuls + the embedding (measured
//   1.1% / 1.5% on node, less on WASM, which multiplies in float32) -> 4%.
// q4: 16 levels per 32-weight block, ~5-10% per layer on Gaussian weights (measured 12.6% /
//   10.7%) -> 25%. These bounds catch wiring errors (a wrong scale, transposed packing
//   gives ~100%); the exact arithmetic is checked on quant.onnx below.
const BOUNDS = { fp32: 1e-6, fp16: 2e-3, q8: 0.04, q4: 0.25 } as const;
const FILES = {
  fp32: 'tiny.onnx',
  fp16: 'tiny_fp16.onnx',
  q8: 'tiny_quantized.onnx',
  q4: 'tiny_q4.onnx',
} as const;
type Variant = keyof typeof FILES;
const VARIANTS = Object.keys(FILES) as Variant[];

const nodeRuns = new Map<Variant, Promise<Record<string, RunOutput>>>();
function runOnNode(v: Variant): Promise<Record<string, RunOutput>> {
  if (!nodeRuns.has(v)) nodeRuns.set(v, runModel(dir + FILES[v], tiny.feeds, 'node'));
  return nodeRuns.get(v)!;
}

describe('tiny fixture variants', () => {
  test.each(VARIANTS)('%s keeps the fp32 graph inputs and outputs (names and dtypes)', async (v) => {
    const session = await ortNode.InferenceSession.create(dir + FILES[v]);
    const inputs = session.inputMetadata.map((m) => [m.name, m.isTensor ? m.type : 'non-tensor']);
    const outputs = session.outputMetadata.map((m) => [m.name, m.isTensor ? m.type : 'non-tensor']);
    await session.release();
    expect(inputs).toEqual([
      ['input_ids', 'int64'],
      ['attention_mask', 'int64'],
    ]);
    expect(outputs).toEqual([
      ['logits', 'float32'],
      ['hidden', 'float32'],
    ]);
  });

  test.each(VARIANTS)('%s on onnxruntime-node agrees with PyTorch fp32 within its bound', async (v) => {
    const out = await runOnNode(v);
    for (const name of ['logits', 'hidden'] as const) {
      expect(out[name]!.dims).toEqual(tiny.outputs[name].dims);
      expect(relativeError(out[name]!.data, tiny.outputs[name].data)).toBeLessThan(BOUNDS[v]);
    }
  });

  test('fp32 on onnxruntime-node reproduces PyTorch to 1e-5', async () => {
    const out = await runOnNode('fp32');
    expect(maxAbsDiff(out.hidden!.data, tiny.outputs.hidden.data)).toBeLessThan(1e-5);
    expect(maxAbsDiff(out.logits!.data, tiny.outputs.logits.data)).toBeLessThan(1e-5);
  });

  test('the quantized variants are really quantized (differ from fp32)', async () => {
    const fp32 = await runOnNode('fp32');
    for (const v of ['fp16', 'q8', 'q4'] as const) {
      expect(maxAbsDiff((await runOnNode(v)).hidden!.data, fp32.hidden!.data)).toBeGreaterThan(1e-6);
    }
  });

  test.each(VARIANTS)('%s: a row gives the same outputs alone as inside the batch', async (v) => {
    // docs/reference.md §7.1: results must not depend on which inputs share a batch. q8 quantizes
    // activations per row for this (a per-tensor scale would mix the rows, padding too).
    const batch = await runOnNode(v);
    const [rows, seq] = tiny.feeds.input_ids!.dims as [number, number];
    const width = batch.hidden!.data.length / rows;
    for (let r = 0; r < rows; r++) {
      const one = (f: JsonTensor): JsonTensor => ({ ...f, dims: [1, seq], data: f.data.slice(r * seq, (r + 1) * seq) });
      const alone = await runModel(dir + FILES[v], { input_ids: one(tiny.feeds.input_ids!), attention_mask: one(tiny.feeds.attention_mask!) }, 'node');
      expect(maxAbsDiff(alone.hidden!.data, batch.hidden!.data.subarray(r * width, (r + 1) * width))).toBeLessThan(1e-6);
      expect(Math.abs(alone.logits!.data[0]! - batch.logits!.data[r]!)).toBeLessThan(1e-6);
    }
  });

  test.each(['fp32', 'fp16', 'q4'] as const)('%s gives the same outputs on onnxruntime-web WASM as on onnxruntime-node', async (v) => {
    const native = await runOnNode(v);
    const wasm = await runModel(dir + FILES[v], tiny.feeds, 'wasm');
    for (const name of ['logits', 'hidden'] as const) {
      expect(wasm[name]!.dims).toEqual(native[name]!.dims);
      // different kernels (SIMD widths, summation order): float32 rounding only
      expect(maxAbsDiff(wasm[name]!.data, native[name]!.data)).toBeLessThan(1e-5);
    }
  });

  test('q8 on onnxruntime-web WASM (float32 products) is within the q8 bound of PyTorch and no further from it than node (int8 products)', async () => {
    // WASM has no int8 MatMulNBits kernel: it multiplies the int8 weights in float32, so it
    // differs from node by node's activation rounding (the exact arithmetic of both is
    // checked on quant.onnx below).
    const native = await runOnNode('q8');
    const wasm = await runModel(dir + FILES.q8, tiny.feeds, 'wasm');
    for (const name of ['logits', 'hidden'] as const) {
      const wasmError = relativeError(wasm[name]!.data, tiny.outputs[name].data);
      expect(wasmError).toBeLessThan(BOUNDS.q8);
      expect(wasmError).toBeLessThanOrEqual(relativeError(native[name]!.data, tiny.outputs[name].data));
    }
  });
});

interface QuantIo {
  feeds: Record<string, JsonTensor>;
  expected: Record<'fp32' | 'q8' | 'q8_float' | 'q8_rows' | 'q4', Record<'y' | 'e', { dims: number[]; data: number[] }>>;
}
const quant = JSON.parse(readFileSync(`${dir}quant_io.json`, 'utf8')) as QuantIo;

describe('quantized arithmetic (quant.onnx: one MatMul with K=80, one Gather)', () => {
  // quant_io.json holds outputs computed in numpy from the quantized codes (MatMulNBits
  // packing per onnxruntime's spec; for q8 on node, its int8 kernels' per-block activation
  // rounding; on WASM, float32 products of the dequantized weights): the graphs must
  // reproduce them up to float32 summation order.
  const cases = [
    ['fp32', 'quant.onnx'],
    ['q8', 'quant_quantized.onnx'],
    // the earlier form, quantize_q8(form="rows"): per-row uint8 activations, exact int32
    ['q8_rows', 'quant_quantized_rows.onnx'],
    ['q4', 'quant_q4.onnx'],
  ] as const;
  for (const backend of ['node', 'wasm'] as const) {
    test.each(cases)(`%s (%s) on ${backend}`, async (v, file) => {
      const out = await runModel(dir + file, quant.feeds, backend);
      const expected = v === 'q8' && backend === 'wasm' ? quant.expected.q8_float : quant.expected[v];
      for (const name of ['y', 'e'] as const) {
        const want = expected[name];
        expect(out[name]!.dims).toEqual(want.dims);
        expect(maxAbsDiff(out[name]!.data, want.data)).toBeLessThan(2e-5);
      }
    });
  }
});

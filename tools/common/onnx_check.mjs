#!/usr/bin/env node
// Runs one ONNX model on given feeds and prints every output as JSON.
// The Python tooling has no onnxruntime package here, so it shells out to this script
// (tools/common/ort_runner.py) to run exported models on onnxruntime-node or on
// onnxruntime-web's WASM backend (the browser's CPU path).
//
//   node tools/common/onnx_check.mjs --model a.onnx --feeds feeds.json [--backend node|wasm]
//        [--out result.json] [--dims-only 1]
// feeds.json: {"input_ids": {"type": "int64", "dims": [1, 3], "data": [1, 2, 3]}, ...}
// prints:     {"logits": {"type": "float32", "dims": [1], "data": [0.25]}, ...}
// Float data is printed with JSON's shortest round-trip form, so float32 values survive
// exactly; int64 values beyond 2^53 lose precision (none of our models emit them).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/** Loads onnxruntime-node, or onnxruntime-web's WASM backend with local wasm files. */
async function loadOrt(backend) {
  if (backend === 'node') return import('onnxruntime-node');
  if (backend !== 'wasm') throw new Error(`--backend must be node or wasm, got ${backend}`);
  const ort = await import('onnxruntime-web');
  // Never a CDN: point ORT at the wasm files shipped in node_modules.
  const require = createRequire(import.meta.url);
  const wasmFile = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  ort.env.wasm.wasmPaths = pathToFileURL(dirname(wasmFile)).href + '/';
  ort.env.wasm.numThreads = 1;
  return ort;
}

function toTensor(ort, name, feed) {
  const Typed = TYPED_ARRAYS[feed.type];
  if (!Typed) throw new Error(`feed ${name}: unsupported type ${feed.type}`);
  const big = feed.type === 'int64' || feed.type === 'uint64';
  const values = feed.data.map((v) => (big ? BigInt(v) : feed.type === 'bool' ? (v ? 1 : 0) : v));
  return new ort.Tensor(feed.type, Typed.from(values), feed.dims);
}

function fromTensor(tensor, dimsOnly) {
  if (dimsOnly) return { type: tensor.type, dims: [...tensor.dims] };
  const data = Array.from(tensor.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
  return { type: tensor.type, dims: [...tensor.dims], data };
}

/**
 * Runs `modelPath` on JSON-style feeds; returns {outputName: {type, dims, data}} for every
 * graph output, in the model's output order (`dimsOnly`: no data, for shape checks).
 */
export async function runModel(modelPath, feeds, backend = 'node', dimsOnly = false) {
  const ort = await loadOrt(backend);
  const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 };
  const session =
    backend === 'wasm'
      ? await ort.InferenceSession.create(new Uint8Array(readFileSync(modelPath)), {
          ...options,
          executionProviders: ['wasm'],
          // External data (X.onnx_data) must be handed over explicitly in WASM.
          externalData: externalDataFor(modelPath),
        })
      : await ort.InferenceSession.create(modelPath, options);
  const inputs = {};
  for (const [name, feed] of Object.entries(feeds)) inputs[name] = toTensor(ort, name, feed);
  const results = await session.run(inputs);
  const out = {};
  for (const name of session.outputNames) out[name] = fromTensor(results[name], dimsOnly);
  await session.release();
  return out;
}

function externalDataFor(modelPath) {
  const dataPath = `${modelPath}_data`;
  try {
    const data = new Uint8Array(readFileSync(dataPath));
    return [{ path: dataPath.split('/').pop(), data }];
  } catch {
    return undefined;
  }
}

function parseArgs(argv) {
  const args = { backend: 'node' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(`bad argument near ${key}`);
    args[key.slice(2)] = value;
  }
  if (!args.model || !args.feeds) {
    throw new Error('usage: onnx_check.mjs --model a.onnx --feeds feeds.json [--backend node|wasm] [--out r.json]');
  }
  return args;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const feeds = JSON.parse(readFileSync(args.feeds, 'utf8'));
    const out = JSON.stringify(await runModel(args.model, feeds, args.backend, args['dims-only'] === '1'));
    if (args.out) writeFileSync(args.out, out + '\n');
    else process.stdout.write(out + '\n');
    // onnxruntime-web's wasm backend keeps the event loop alive; exit explicitly.
    process.exit(0);
  } catch (err) {
    process.stderr.write(`onnx_check: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
}

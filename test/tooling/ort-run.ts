// Runs a model file on onnxruntime-node or on onnxruntime-web's WASM backend (1 thread,
// wasm files from node_modules, never a CDN), with JSON-style feeds as the fixtures store them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

export type Backend = 'node' | 'wasm';

export interface JsonTensor {
  type: 'float32' | 'int64';
  dims: number[];
  data: number[];
}

export interface RunOutput {
  type: string;
  dims: readonly number[];
  data: Float32Array;
}

let wasmReady = false;
function setUpWasm(): void {
  if (wasmReady) return;
  const require = createRequire(import.meta.url);
  const wasmFile = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  ortWeb.env.wasm.wasmPaths = pathToFileURL(dirname(wasmFile)).href + '/';
  ortWeb.env.wasm.numThreads = 1;
  wasmReady = true;
}

function toData(feed: JsonTensor): Float32Array | BigInt64Array {
  return feed.type === 'int64' ? BigInt64Array.from(feed.data, (v) => BigInt(v)) : Float32Array.from(feed.data);
}

/** Runs `modelPath`; returns every output (all our variants emit float32). */
export async function runModel(modelPath: string, feeds: Record<string, JsonTensor>, backend: Backend): Promise<Record<string, RunOutput>> {
  const out: Record<string, RunOutput> = {};
  if (backend === 'node') {
    const session = await ortNode.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
    const inputs: Record<string, ortNode.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortNode.Tensor(feed.type, toData(feed), feed.dims);
    const results = await session.run(inputs);
    for (const name of session.outputNames) out[name] = asFloat(results[name]);
    await session.release();
    return out;
  }
  setUpWasm();
  const session = await ortWeb.InferenceSession.create(new Uint8Array(readFileSync(modelPath)), {
    executionProviders: ['wasm'],
  });
  const inputs: Record<string, ortWeb.Tensor> = {};
  for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortWeb.Tensor(feed.type, toData(feed), feed.dims);
  const results = await session.run(inputs);
  for (const name of session.outputNames) out[name] = asFloat(results[name]);
  await session.release();
  return out;
}

function asFloat(tensor: { type: string; dims: readonly number[]; data: unknown } | undefined): RunOutput {
  if (!tensor) throw new Error('missing output');
  if (!(tensor.data instanceof Float32Array)) throw new Error(`output is ${tensor.type}, not float32`);
  return { type: tensor.type, dims: tensor.dims, data: tensor.data };
}

/** max |a - b| over equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** ||a - b|| / ||b|| (Euclidean). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    num += d * d;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
}

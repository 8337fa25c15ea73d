/// <reference lib="webworker" />
// Throughput on onnxruntime-web's plain WASM build imported directly (no asyncify, no
// WebGPU): what the page's WASM backend loads too, without the library's loader.
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { serveThroughput } from './throughput-core';

ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
serveThroughput(async (_backend, numThreads) => {
  ort.env.wasm.numThreads = numThreads;
  return ort;
}, 'wasm plain');

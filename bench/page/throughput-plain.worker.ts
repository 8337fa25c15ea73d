/// <reference lib="webworker" />
// Throughput on onnxruntime-web's plain WASM build (no asyncify, no WebGPU), to see what the
// page runtime's WebGPU-capable build costs on the CPU.
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { serveThroughput } from './throughput-core';

ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
serveThroughput(ort, 'wasm plain');

/// <reference lib="webworker" />
// Option experiments on onnxruntime-web's plain WASM build (no asyncify, no WebGPU): is the
// page runtime's WebGPU-capable build slower on the CPU?
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { serveCompare } from './compare-core';

ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
serveCompare(ort);

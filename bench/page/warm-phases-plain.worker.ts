/// <reference lib="webworker" />
// Warm-load phases on onnxruntime-web's plain WASM build (no asyncify, no WebGPU).
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { serveWarmPhases } from './warm-phases-core';

ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };
serveWarmPhases(ort);

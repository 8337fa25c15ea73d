/**
 * The page's onnxruntime-web, configured once: its wasm and glue files come from this
 * origin (vite emits them as assets), never from a CDN, and transformers.js is told to use
 * this same instance, so one ~27 MB wasm serves both the ranker and the fuser.
 *
 * Import this module before `@huggingface/transformers` anywhere in the worker.
 */
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

// Both paths are needed: without `mjs`, ORT's pthread workers would load the app bundle
// and a production build hangs with more than one thread.
ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };

// transformers.js picks up an ORT instance registered here instead of importing its own
// (and instead of pointing wasmPaths at a CDN).
(globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ort;

export { ort, wasmUrl, mjsUrl };

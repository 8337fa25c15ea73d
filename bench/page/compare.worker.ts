/// <reference lib="webworker" />
// Option experiments on the page runtime's WebGPU-capable ORT build (asyncify), which the
// library loads when WebGPU is used; compare-plain.worker.ts has the plain WASM build.
import { loadOrt } from '../../src/runtime/web/ort-web';
import { serveCompare } from './compare-core';

// serveCompare sets the thread count per request, before the first session starts the wasm.
const { ort } = await loadOrt('webgpu', { numThreads: 1 });
serveCompare(ort);

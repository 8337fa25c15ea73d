/// <reference lib="webworker" />
// Warm-load phases on the page runtime's WebGPU-capable ORT build (asyncify), which the
// library loads when WebGPU is used; warm-phases-plain.worker.ts has the plain WASM build.
import { loadOrt } from '../../src/runtime/web/ort-web';
import { serveWarmPhases } from './warm-phases-core';

// serveWarmPhases sets the thread count per request, before the first session starts the wasm.
const { ort } = await loadOrt('webgpu', { numThreads: 1 });
serveWarmPhases(ort);

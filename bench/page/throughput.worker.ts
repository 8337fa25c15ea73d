/// <reference lib="webworker" />
// Throughput on the page runtime's ORT, loaded as the library's worker loads it: the plain
// WASM build on the CPU, the WebGPU-capable build for WebGPU (src/runtime/web/ort-web.ts).
import { loadOrt } from '../../src/runtime/web/ort-web';
import { serveThroughput } from './throughput-core';

serveThroughput(async (backend, numThreads) => (await loadOrt(backend === 'webgpu' ? 'webgpu' : 'wasm', { numThreads })).ort);

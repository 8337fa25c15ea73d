/// <reference lib="webworker" />
// Throughput on the page runtime's ORT (the asyncify build that also runs WebGPU).
import { ort } from '../../src/runtime/ort-web';
import { serveThroughput } from './throughput-core';

serveThroughput(ort, 'wasm');

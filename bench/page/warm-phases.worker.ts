/// <reference lib="webworker" />
// Warm-load phases on the page runtime's ORT (the asyncify build that also runs WebGPU).
import { ort } from '../../src/runtime/ort-web';
import { serveWarmPhases } from './warm-phases-core';

serveWarmPhases(ort);

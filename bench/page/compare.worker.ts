/// <reference lib="webworker" />
// Option experiments on the page runtime's ORT (the asyncify build that also runs WebGPU).
import { ort } from '../../src/runtime/ort-web';
import { serveCompare } from './compare-core';

serveCompare(ort);

/// <reference lib="webworker" />
// One onnxruntime-web instance per worker: numThreads is read once, when ORT's wasm starts,
// so each thread count gets a fresh worker. Reuses the page runtime's ORT setup and session
// factory, so what is timed is what the library runs.
import { ort } from '../../src/runtime/ort-web';
import { createRankerSession } from '../../src/runtime/ort-sessions';
import { timeCases } from '../lib/timed-cases.mjs';
import type { ThroughputReply, ThroughputRequest } from './protocol';

async function measure(request: ThroughputRequest): Promise<ThroughputReply> {
  const threads = request.threads > 0 ? request.threads : navigator.hardwareConcurrency;
  ort.env.wasm.numThreads = threads;
  let started = performance.now();
  const response = await fetch(request.url);
  if (!response.ok) throw new Error(`could not fetch ${request.url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const fetchMs = performance.now() - started;
  started = performance.now();
  const session = await createRankerSession(
    ort,
    bytes,
    { executionProviders: [request.backend], graphOptimizationLevel: 'all', ...request.sessionOptions },
    request.url,
  );
  const sessionMs = performance.now() - started;
  const results = await timeCases(request.cases, request.padId, (ids, mask, batch, length) => session.run(ids, mask, batch, length), (line) =>
    console.log(`wasm ${request.dtype} ${threads}t ${line}`),
  );
  await session.release();
  return { threads, fetchMs, sessionMs, results };
}

self.onmessage = (event: MessageEvent<ThroughputRequest>) => {
  measure(event.data).then(
    (reply) => self.postMessage(reply),
    (error: unknown) => self.postMessage({ threads: 0, fetchMs: 0, sessionMs: 0, results: [], error: String(error) } satisfies ThroughputReply),
  );
};

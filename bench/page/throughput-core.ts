// Times benchmark cases on one ranker session of the page runtime's ORT, through the
// runtime's own session factory, so what is timed is what the library runs.
import { createRankerSession, type OrtModuleLike } from '../../src/runtime/common/ort-sessions';
import { timeCases } from '../lib/timed-cases.mjs';
import type { ThroughputReply, ThroughputRequest } from './protocol';

type OrtWithEnv = OrtModuleLike & { env: { wasm: { numThreads?: number } } };
/** The ORT module for a backend, with `numThreads` set before its wasm starts. */
export type OrtLoader = (backend: ThroughputRequest['backend'], numThreads: number) => Promise<OrtWithEnv>;

async function measure(loadOrt: OrtLoader, request: ThroughputRequest): Promise<ThroughputReply> {
  const threads = request.threads > 0 ? request.threads : navigator.hardwareConcurrency;
  // Read once, when ORT's wasm starts: one worker per thread count.
  const ort = await loadOrt(request.backend, threads);
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
  const results = await timeCases(
    request.cases,
    request.padId,
    (ids, mask, batch, length) => session.run(ids, mask, batch, length),
    (line) => console.log(`${request.backend} ${request.dtype} ${threads}t ${line}`),
  );
  await session.release();
  return { threads, fetchMs, sessionMs, results };
}

export function serveThroughput(loadOrt: OrtLoader): void {
  self.onmessage = (event: MessageEvent<ThroughputRequest>) => {
    measure(loadOrt, event.data).then(
      (reply) => self.postMessage(reply),
      (error: unknown) => self.postMessage({ threads: 0, fetchMs: 0, sessionMs: 0, results: [], error: String(error) } satisfies ThroughputReply),
    );
  };
}

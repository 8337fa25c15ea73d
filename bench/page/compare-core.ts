// Session-option experiments: one model opened once per option set, then the same rows run
// on each in turn (rotating which goes first) for several rounds, so a busy machine slows
// every variant alike. The ORT
// module is passed in, so the same code times the page's build (asyncify, WebGPU-capable)
// and onnxruntime-web's plain WASM build.
import { createRankerSession, type OrtModuleLike, type RankerSession } from '../../src/runtime/common/ort-sessions';
import { packRows } from '../lib/rows.mjs';
import type { CompareReply, CompareRequest } from './protocol';

export async function compareSessions(ort: OrtModuleLike, request: CompareRequest, threads: number): Promise<CompareReply> {
  const bytes = new Uint8Array(await (await fetch(request.url)).arrayBuffer());
  const sessions: { name: string; session: RankerSession; sessionMs: number; times: number[]; logits: number[] }[] = [];
  for (const variant of request.variants) {
    const started = performance.now();
    const session = await createRankerSession(ort, bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...variant.options }, request.url);
    sessions.push({ name: variant.name, session, sessionMs: performance.now() - started, times: [], logits: [] });
  }
  const length = request.rows[0]!.length;
  const { ids, mask } = packRows(request.rows, length, request.padId);
  for (const entry of sessions) entry.logits = Array.from(await entry.session.run(ids, mask, request.rows.length, length)); // warm-up
  for (let round = 0; round < request.rounds; round++) {
    // Each round starts at a different variant, so no variant always runs first.
    const order = sessions.map((_, k) => sessions[(k + round) % sessions.length]!);
    for (const entry of order) {
      const started = performance.now();
      await entry.session.run(ids, mask, request.rows.length, length);
      entry.times.push(performance.now() - started);
    }
  }
  for (const entry of sessions) await entry.session.release();
  return { threads, variants: sessions.map(({ session, ...rest }) => rest) };
}

export function serveCompare(ort: OrtModuleLike & { env: { wasm: { numThreads?: number } } }): void {
  self.onmessage = (event: MessageEvent<CompareRequest>) => {
    const threads = event.data.threads > 0 ? event.data.threads : navigator.hardwareConcurrency;
    ort.env.wasm.numThreads = threads;
    compareSessions(ort, event.data, threads).then(
      (reply) => self.postMessage(reply),
      (error: unknown) => self.postMessage({ threads: 0, variants: [], error: String(error) } satisfies CompareReply),
    );
  };
}

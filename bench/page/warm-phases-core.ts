// Where a warm load's time goes, phase by phase, in a fresh worker (a fresh ORT instance)
// per round: the model file's chunks read back from IndexedDB in one transaction, joined
// into one buffer, hashed (sha256, WebCrypto), the session created, a first and a timed run.
// A variant can hash while the session is created (`overlapHash`) or change session options.
import { createStore, get, getMany } from 'idb-keyval';
import { createRankerSession, type OrtModuleLike, type OrtSessionOptions } from '../../src/runtime/common/ort-sessions';
import { packRows } from '../lib/rows.mjs';
import type { WarmPhasesReply, WarmPhasesRequest } from './protocol';

type OrtWithEnv = OrtModuleLike & { env: { wasm: { numThreads?: number } } };

/** A 70-byte ONNX graph (one Identity): creating a session from it starts ORT's wasm and threads. */
const TINY_MODEL = new Uint8Array([
  8, 8, 18, 0, 58, 58, 10, 16, 10, 1, 120, 18, 1, 121, 34, 8, 73, 100, 101, 110, 116, 105, 116, 121, 18, 4, 119, 97, 114, 109, 90, 15, 10, 1, 120, 18, 10, 10,
  8, 8, 1, 18, 4, 10, 2, 8, 1, 98, 15, 10, 1, 121, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 66, 4, 10, 0, 16, 13,
]);

async function phases(ort: OrtWithEnv, request: WarmPhasesRequest): Promise<WarmPhasesReply> {
  const times: Record<string, number> = {};
  const lap = (() => {
    let last = performance.now();
    return (name: string) => {
      const now = performance.now();
      times[name] = now - last;
      last = now;
    };
  })();
  const store = createStore(request.dbName, 'models');
  const meta = await get<{ chunkKeys: string[]; bytes: number }>(`file|${request.model}|${request.path}`, store);
  if (!meta) throw new Error(`${request.model}/${request.path} is not in ${request.dbName}`);
  const begin = performance.now();
  lap('meta');
  const startOrt = () => ort.InferenceSession.create(TINY_MODEL, { executionProviders: ['wasm'] }).then((tiny) => tiny.release());
  let ortStarted: Promise<void> | null = null;
  if (request.startOrt === 'first') {
    await startOrt();
    lap('ortStartMs');
  } else if (request.startOrt === 'parallel') {
    ortStarted = startOrt();
  }
  const chunks = (await getMany(meta.chunkKeys, store)) as Uint8Array[];
  lap('readMs');
  const bytes = new Uint8Array(meta.bytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  chunks.length = 0;
  lap('concatMs');
  const options: OrtSessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...request.sessionOptions };
  let digest: Promise<ArrayBuffer> | null = null;
  if (request.overlapHash) {
    digest = crypto.subtle.digest('SHA-256', bytes);
  } else {
    await crypto.subtle.digest('SHA-256', bytes);
    lap('hashMs');
  }
  if (ortStarted) {
    await ortStarted;
    lap('ortWaitMs');
  }
  const session = await createRankerSession(ort, bytes, options, request.path);
  lap('createMs');
  if (digest) {
    await digest;
    lap('hashWaitMs');
  }
  times.readyMs = performance.now() - begin;
  const warmUp = packRows([[1, 2]], 2, request.padId);
  await session.run(warmUp.ids, warmUp.mask, 1, 2);
  lap('firstRunMs');
  const length = request.rows[0]!.length;
  const packed = packRows(request.rows, length, request.padId);
  const logits = await session.run(packed.ids, packed.mask, request.rows.length, length);
  lap('runMs');
  await session.release();
  return { times, logit: logits[0] ?? Number.NaN };
}

export function serveWarmPhases(ort: OrtWithEnv): void {
  self.onmessage = (event: MessageEvent<WarmPhasesRequest>) => {
    ort.env.wasm.numThreads = event.data.threads;
    phases(ort, event.data).then(
      (reply) => self.postMessage(reply),
      (error: unknown) => self.postMessage({ times: {}, logit: Number.NaN, error: String(error) } satisfies WarmPhasesReply),
    );
  };
}

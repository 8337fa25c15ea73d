/**
 * A model folder served by a fake `fetch` that can misbehave on cue: break a download off
 * after some bytes, answer 5xx, ignore or honour Range requests. Every request is recorded
 * with its Range header, so tests can tell what was asked for again.
 */
import { createHash } from 'node:crypto';
import type { KeyValueStorage } from '../../src/runtime/web/chunked-cache';
import type { FetchInit, ModelManifest } from '../../src/runtime/web/manifest';

export const MODEL = 'https://models.example/tiny';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

export interface RecordedRequest {
  path: string;
  range: string | undefined;
}

/** What the server does with the next request for a file (then it behaves again). */
export type Fault =
  { kind: 'break-after'; bytes: number } | { kind: 'end-after'; bytes: number } | { kind: 'status'; status: number } | { kind: 'network-error' };

export function fakeModelServer(files: Record<string, Uint8Array>, options: { ranges?: boolean } = {}) {
  const requests: RecordedRequest[] = [];
  const served = { ...files };
  const faults = new Map<string, Fault[]>();
  const manifest: ModelManifest = {
    files: Object.entries(files).map(([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: sha256(bytes) })),
  };
  let honourRanges = options.ranges ?? true;

  const fetch = async (url: string, init?: FetchInit): Promise<Response> => {
    const path = url.slice(MODEL.length + 1);
    const range = init?.headers?.['Range'];
    requests.push({ path, range });
    init?.signal?.throwIfAborted();
    if (path === 'manifest.json') return Response.json(manifest);
    const fault = faults.get(path)?.shift();
    if (fault?.kind === 'network-error') throw new TypeError('Failed to fetch');
    if (fault?.kind === 'status') return new Response('unavailable', { status: fault.status });
    const body = served[path];
    if (!body) return new Response('not found', { status: 404 });

    const start = range && honourRanges ? Number(/^bytes=(\d+)-$/.exec(range)![1]) : 0;
    if (start >= body.byteLength && start > 0) return new Response(null, { status: 416, headers: { 'content-range': `bytes */${body.byteLength}` } });
    const part = body.slice(start);
    const headers = new Headers(start > 0 ? { 'content-range': `bytes ${start}-${body.byteLength - 1}/${body.byteLength}` } : {});
    // Network chunks of 4 KiB, so a break can land mid-file and progress has steps. Pulled
    // one by one: an error must not discard chunks already handed out.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= part.byteLength) return controller.close();
        const chunk = part.slice(sent, sent + 4096);
        const cut = fault?.kind === 'break-after' || fault?.kind === 'end-after' ? fault.bytes : Number.POSITIVE_INFINITY;
        if (sent >= cut) {
          // A connection reset errors the stream; a body that merely stops ends it cleanly.
          if (fault?.kind === 'end-after') return controller.close();
          return controller.error(new TypeError('network error: connection reset'));
        }
        const size = Math.min(chunk.byteLength, cut - sent);
        controller.enqueue(chunk.slice(0, size));
        sent += size;
      },
    });
    return new Response(stream, { status: start > 0 ? 206 : 200, headers });
  };

  return {
    fetch,
    requests,
    manifest,
    served,
    /** Queues faults for the next requests of `path`, in order. */
    fail: (path: string, ...next: Fault[]) => faults.set(path, [...(faults.get(path) ?? []), ...next]),
    ignoreRanges: () => (honourRanges = false),
    fileRequests: (path: string) => requests.filter((request) => request.path === path),
  };
}

export function memoryStorage(): KeyValueStorage & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    keys: async () => [...map.keys()],
  };
}

/** Storage that fails every operation, as IndexedDB does in some private modes. */
export function unavailableStorage(): KeyValueStorage {
  const fail = async (): Promise<never> => {
    throw new DOMException('IndexedDB is not available in private browsing', 'InvalidStateError');
  };
  return { get: fail, set: fail, del: fail, keys: fail };
}

/** An in-process stand-in for navigator.locks.request: exclusive, FIFO, abortable while waiting. */
export function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  let grants = 0;
  const lock = async <T>(name: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    tails.set(
      name,
      previous.then(() => mine),
    );
    try {
      await previous;
      signal?.throwIfAborted();
      grants++;
      return await work();
    } finally {
      release();
    }
  };
  return { lock, grants: () => grants };
}

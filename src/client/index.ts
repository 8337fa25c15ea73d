/**
 * Browser entry of llm-blender-web: `createBlender` spawns the worker that hosts the
 * engine and returns its API through Comlink. The page's thread never runs a model.
 */
import * as Comlink from 'comlink';
import type { RuntimeInfo } from '../runtime/runtime-info';
import type { WorkerApi } from '../../workers/blender.worker';

export type { RuntimeInfo } from '../runtime/runtime-info';
export type { WebGpuProbe, WebGpuAdapterInfo } from '../runtime/webgpu-probe';
export type { WasmThreads } from '../runtime/wasm-threads';

export interface BrowserBlender {
  /** The backend in use and why, WebGPU adapter facts, isolation and WASM threads. */
  info(): Promise<RuntimeInfo>;
  /** Ends the worker and frees everything it held. Later calls reject. */
  dispose(): Promise<void>;
}

export async function createBlender(): Promise<BrowserBlender> {
  const worker = new Worker(new URL('../../workers/blender.worker.ts', import.meta.url), {
    type: 'module',
    name: 'llm-blender',
  });
  const remote = Comlink.wrap<WorkerApi>(worker);
  return {
    info: () => remote.info(),
    async dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

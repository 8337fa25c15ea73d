/**
 * Browser entry of llm-blender-web: `createBlender` spawns the worker that hosts the engine
 * and returns the same API as the Node entry. The page's thread never runs a model.
 */
import { throwIfAborted } from '../engine/errors';
import { checkFunctionOption, checkSignalOption } from '../engine/validate';
import type { LoadEvent } from '../runtime/web/load-events';
import { readCreateOptions, type BrowserBlenderOptions } from './create-options';
import { workerFactory } from './spawn-worker';
import { WorkerBlender, type BrowserBlender } from './worker-blender';

export * from '../public-surface';
export type { BrowserBlenderOptions } from './create-options';
export type { BrowserBlender } from './worker-blender';
export type { BrowserInfo } from './protocol';
export type { LoadEvent, PageBackend, PageModelInfo, PageModelTimings } from '../runtime/web/load-events';
export type { RuntimeInfo } from '../runtime/web/runtime-info';
export type { WebGpuProbe, WebGpuAdapterInfo } from '../runtime/web/webgpu-probe';
export type { WasmThreads } from '../runtime/web/wasm-threads';
export type { OrtBuild } from '../runtime/web/ort-build';
export type { PageDevice } from '../runtime/web/backend-choice';
export type { CachedFile, CachedModel, ModelStoreChoice, StoreEvent, StoreKind, StoreUsage } from '../runtime/web/model-store';
export { openModelCache, type ModelCache } from './model-cache';

export async function createBlender(options: BrowserBlenderOptions = {}): Promise<BrowserBlender> {
  const checked = readCreateOptions(options);
  const onProgress = checkFunctionOption<(event: LoadEvent) => void>(options.onProgress, 'onProgress');
  const signal = checkSignalOption(options.signal);
  throwIfAborted(signal, 'load');
  const { workerUrl, ...wire } = checked;
  const blender = new WorkerBlender(wire, onProgress, workerFactory(workerUrl));
  await blender.connection(signal);
  return blender;
}

/**
 * Starts the blender's worker. The default is the one pattern webpack 5, Vite, Rollup and
 * Parcel all recognise (`new Worker(new URL('./file', import.meta.url), { type: 'module' })`),
 * so an app's bundler finds the worker, bundles it and copies the files it references. The
 * published build rewrites the source path below to `./blender.worker.js`, the worker beside
 * the built entry (tools/build/browser.mjs); a host that serves the files itself names them
 * with `assetsUrl` or `workerUrl` (src/client/asset-urls.ts).
 */
import type { WorkerFactory } from './worker-connection';

export function workerFactory(workerUrl: string | null): WorkerFactory {
  // Both branches keep the options literal: bundlers only follow `new Worker(new URL(...), {...})`
  // with static options, and need `type: 'module'` to bundle an ES module worker.
  if (workerUrl !== null) return () => new Worker(workerUrl, { type: 'module', name: 'llm-blender' });
  return () => new Worker(new URL('../../workers/blender.worker.ts', import.meta.url), { type: 'module', name: 'llm-blender' });
}

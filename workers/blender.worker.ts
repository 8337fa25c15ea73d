/// <reference lib="webworker" />
// The worker that hosts the engine in pages. Everything heavy (ORT sessions, model bytes,
// tokenizers) lives here so the page never blocks; the page talks to it through Comlink.
import * as Comlink from 'comlink';
import { ort, wasmUrl } from '../src/runtime/ort-web';
import type { RuntimeInfo } from '../src/runtime/runtime-info';
import { chooseWasmThreads } from '../src/runtime/wasm-threads';
import { probeWebGpu } from '../src/runtime/webgpu-probe';

const workerApi = {
  async info(): Promise<RuntimeInfo> {
    const webgpu = await probeWebGpu(self.navigator);
    const wasm = chooseWasmThreads({
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: self.navigator.hardwareConcurrency,
    });
    return {
      backend: webgpu.available ? 'webgpu' : 'wasm',
      reason: webgpu.available ? describeAdapter(webgpu.adapter) : webgpu.reason,
      webgpu,
      crossOriginIsolated: self.crossOriginIsolated,
      wasm,
      ortVersion: ort.env.versions.web ?? 'unknown',
      ortWasmUrl: new URL(wasmUrl, self.location.href).href,
    };
  },
};

function describeAdapter(adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean }): string {
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  return `WebGPU adapter: ${name}${adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}

export type WorkerApi = typeof workerApi;

Comlink.expose(workerApi);

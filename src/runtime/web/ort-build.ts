/**
 * Which onnxruntime-web build a page worker loads. Pure: the caller's device and dtype and
 * the WebGPU probe come in, the build comes out.
 *
 * - `wasm`: the plain CPU build (`onnxruntime-web/wasm`, `ort-wasm-simd-threaded.wasm`). No
 *   asyncify: bench/NOTES.md measured it creating sessions ~2x faster and running 1.06-2x
 *   faster than the WebGPU-capable build on the CPU.
 * - `webgpu`: the WebGPU-capable build (`onnxruntime-web/webgpu`,
 *   `ort-wasm-simd-threaded.asyncify.wasm`), which also has the WASM execution provider.
 *
 * A worker loads one build, once, before transformers.js captures it (src/runtime/web/ort-web.ts),
 * so the choice is made before any model's variants are known.
 */
import type { DtypeOption } from '../common/dtypes';
import { chooseBackend, type PageDevice } from './backend-choice';
import type { WebGpuProbe } from './webgpu-probe';

export type OrtBuild = 'wasm' | 'webgpu';

export interface OrtBuildRequest {
  device: PageDevice;
  dtype: DtypeOption;
  webgpu: WebGpuProbe;
}

export function chooseOrtBuild(request: OrtBuildRequest): OrtBuild {
  const { device, dtype, webgpu } = request;
  if (device === 'wasm' || !webgpu.available) return 'wasm';
  if (device === 'webgpu') return 'webgpu';
  // A software adapter: `auto` runs every model on WASM (backend-choice.ts).
  if (webgpu.adapter.software) return 'wasm';
  if (dtype === 'auto') return 'webgpu';
  // `auto` with a fixed dtype: the backend rule the models will meet decides (q8, or fp16
  // without shader-f16, runs on WASM whatever the model).
  return chooseBackend({ device, dtype, webgpu, available: [dtype] }).backend;
}

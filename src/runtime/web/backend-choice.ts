/**
 * Which backend and dtype a model runs with in a page, and why. Pure: the WebGPU probe
 * and the model's variants come in, a decision with a human-readable reason comes out.
 */
import { BlenderError } from '../../engine/errors';
import { DTYPE_TABLE, type Dtype, type DtypeOption } from '../common/dtypes';
import type { PageBackend } from './load-events';
import type { WebGpuProbe } from './webgpu-probe';

export type PageDevice = 'auto' | PageBackend;
export const PAGE_DEVICES: readonly PageDevice[] = ['auto', 'webgpu', 'wasm'];

export interface BackendChoice {
  backend: PageBackend;
  dtype: Dtype;
  reason: string;
}

export interface BackendRequest {
  device: PageDevice;
  dtype: DtypeOption;
  webgpu: WebGpuProbe;
  /** The dtypes the model folder has files for. */
  available: readonly Dtype[];
}

/** Why a dtype cannot run on this WebGPU adapter, or null when it can. */
function webgpuObstacle(dtype: Dtype, probe: WebGpuProbe): string | null {
  if (!probe.available) return probe.reason;
  if (!DTYPE_TABLE[dtype].backends.includes('webgpu')) return `${dtype} does not run on WebGPU (its kernels would fall back to the CPU)`;
  if (dtype === 'fp16' && !probe.adapter.shaderF16) return 'the WebGPU adapter lacks shader-f16, which fp16 needs';
  return null;
}

/** "vendor architecture" of the probed adapter, flagged when it is a fallback adapter. */
export function adapterName(probe: WebGpuProbe): string {
  if (!probe.available) return 'no adapter';
  const { vendor, architecture, isFallbackAdapter } = probe.adapter;
  const name = [vendor, architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  return `${name}${isFallbackAdapter ? ', a fallback adapter' : ''}`;
}

/** The best dtype for a backend among those the model has (docs/model-folder.md §1, `dtype: 'auto'`). */
function autoDtype(backend: PageBackend, probe: WebGpuProbe, available: readonly Dtype[]): Dtype {
  const preference: Dtype[] =
    backend === 'wasm' ? ['q8', 'fp32', 'q4', 'fp16'] : probe.available && probe.adapter.shaderF16 ? ['fp16', 'q4', 'fp32'] : ['q4', 'fp32'];
  const dtype = preference.find((candidate) => available.includes(candidate));
  if (!dtype) {
    throw new BlenderError(
      'BACKEND_UNAVAILABLE',
      `the model has no variant that runs on ${backend} (it has: ${available.join(', ') || 'none'})`,
      'options.dtype',
    );
  }
  return dtype;
}

export function chooseBackend(request: BackendRequest): BackendChoice {
  const { device, webgpu, available } = request;
  if (request.dtype !== 'auto' && !available.includes(request.dtype)) {
    throw new BlenderError(
      'INVALID_OPTION',
      `dtype '${request.dtype}' was asked for but the model has no such variant (it has: ${available.join(', ')})`,
      'options.dtype',
    );
  }

  if (device === 'wasm') {
    const dtype = request.dtype === 'auto' ? autoDtype('wasm', webgpu, available) : request.dtype;
    return { backend: 'wasm', dtype, reason: 'WASM, as asked (device: wasm)' };
  }

  if (device === 'webgpu') {
    if (!webgpu.available) {
      throw new BlenderError('BACKEND_UNAVAILABLE', `device 'webgpu' was asked for but ${webgpu.reason}`, 'options.device');
    }
    const dtype = request.dtype === 'auto' ? autoDtype('webgpu', webgpu, available) : request.dtype;
    const obstacle = webgpuObstacle(dtype, webgpu);
    if (obstacle) throw new BlenderError('BACKEND_UNAVAILABLE', `device 'webgpu' with dtype '${dtype}': ${obstacle}`, 'options.dtype');
    return { backend: 'webgpu', dtype, reason: `WebGPU, as asked (${adapterName(webgpu)})` };
  }

  // device 'auto': WebGPU when there is a hardware adapter and the dtype runs on it, else WASM.
  if (!webgpu.available) {
    const dtype = request.dtype === 'auto' ? autoDtype('wasm', webgpu, available) : request.dtype;
    return { backend: 'wasm', dtype, reason: `WASM: ${webgpu.reason}` };
  }
  if (webgpu.adapter.software) {
    // A software adapter runs WebGPU's shaders on the CPU: always slower than WASM (measured:
    // SwiftShader took 54 s to be ready where WASM takes seconds), never the better choice.
    const dtype = request.dtype === 'auto' ? autoDtype('wasm', webgpu, available) : request.dtype;
    return { backend: 'wasm', dtype, reason: `WASM: the only WebGPU adapter is a software one (${webgpu.adapter.software})` };
  }
  if (request.dtype === 'auto') {
    return { backend: 'webgpu', dtype: autoDtype('webgpu', webgpu, available), reason: `WebGPU (${adapterName(webgpu)})` };
  }
  const obstacle = webgpuObstacle(request.dtype, webgpu);
  if (obstacle) return { backend: 'wasm', dtype: request.dtype, reason: `WASM: ${obstacle}` };
  return { backend: 'webgpu', dtype: request.dtype, reason: `WebGPU (${adapterName(webgpu)})` };
}

/**
 * Where `device: 'auto'` goes after `first` failed its numerical self-check (the fallback
 * ladder, docs/model-folder.md): the same backend with fp32 (no half precision, no quantized
 * weights), then WASM with its own auto dtype, then WASM fp32; each once, in that order, and
 * only variants the model has. Only when both device and dtype are 'auto': an explicit
 * choice is the caller's, and a failed check rejects it (NUMERICS_MISMATCH).
 */
export function fallbackLadder(request: BackendRequest, first: BackendChoice): Omit<BackendChoice, 'reason'>[] {
  if (request.device !== 'auto' || request.dtype !== 'auto') return [];
  const { available, webgpu } = request;
  const rungs: Omit<BackendChoice, 'reason'>[] = [];
  const add = (backend: PageBackend, dtype: Dtype) => {
    const seen = rungs.some((rung) => rung.backend === backend && rung.dtype === dtype) || (first.backend === backend && first.dtype === dtype);
    if (!seen && available.includes(dtype)) rungs.push({ backend, dtype });
  };
  if (first.backend === 'webgpu') add('webgpu', 'fp32');
  const wasmDtype = available.some((dtype) => DTYPE_TABLE[dtype].backends.includes('wasm')) ? autoDtype('wasm', webgpu, available) : null;
  if (wasmDtype) add('wasm', wasmDtype);
  add('wasm', 'fp32');
  return rungs;
}

/** "q8 on WASM": a backend and dtype for people. */
export function describeChoice(choice: { backend: PageBackend; dtype: Dtype }): string {
  return `${choice.dtype} on ${choice.backend === 'wasm' ? 'WASM' : 'WebGPU'}`;
}

import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../src/runtime/common/dtypes';
import { chooseBackend, type PageDevice } from '../../src/runtime/web/backend-choice';
import { chooseOrtBuild, type OrtBuildRequest } from '../../src/runtime/web/ort-build';
import type { WebGpuProbe } from '../../src/runtime/web/webgpu-probe';
import { webGpuAdapter } from './webgpu-adapter';

const DTYPES: Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
const DEVICES: PageDevice[] = ['auto', 'webgpu', 'wasm'];
const noAdapter: WebGpuProbe = { available: false, reason: 'no WebGPU adapter (requestAdapter() returned null)' };
const PROBES: WebGpuProbe[] = [noAdapter, webGpuAdapter(false), webGpuAdapter(true), webGpuAdapter(false, 'SwiftShader')];

/** Every non-empty set of variants a model folder can have. */
const VARIANT_SETS: Dtype[][] = Array.from({ length: 2 ** DTYPES.length - 1 }, (_, mask) => DTYPES.filter((_, bit) => ((mask + 1) >> bit) & 1));

describe('chooseOrtBuild', () => {
  it.each<[string, OrtBuildRequest, 'wasm' | 'webgpu']>([
    ['no adapter -> plain WASM build', { device: 'auto', dtype: 'auto', webgpu: noAdapter }, 'wasm'],
    ['device wasm with an adapter -> plain WASM build', { device: 'wasm', dtype: 'auto', webgpu: webGpuAdapter(true) }, 'wasm'],
    ['auto with an adapter -> WebGPU build', { device: 'auto', dtype: 'auto', webgpu: webGpuAdapter(false) }, 'webgpu'],
    ['device webgpu -> WebGPU build', { device: 'webgpu', dtype: 'q4', webgpu: webGpuAdapter(false) }, 'webgpu'],
    ['device webgpu without adapter -> plain build (the load fails with BACKEND_UNAVAILABLE)', { device: 'webgpu', dtype: 'auto', webgpu: noAdapter }, 'wasm'],
    ['auto, q8 asked, with an adapter -> plain build (q8 runs on WASM)', { device: 'auto', dtype: 'q8', webgpu: webGpuAdapter(true) }, 'wasm'],
    ['auto, fp16 asked, adapter lacks shader-f16 -> plain build', { device: 'auto', dtype: 'fp16', webgpu: webGpuAdapter(false) }, 'wasm'],
    ['auto, fp16 asked, adapter has shader-f16 -> WebGPU build', { device: 'auto', dtype: 'fp16', webgpu: webGpuAdapter(true) }, 'webgpu'],
  ])('%s', (_, request, build) => {
    expect(chooseOrtBuild(request)).toBe(build);
  });

  // The plain build has no WebGPU execution provider: whenever a model will be opened on
  // WebGPU, the WebGPU build must be loaded. And with a fixed dtype, nothing else is loaded
  // for a WASM model either.
  it('loads the WebGPU build whenever a model would open on WebGPU, and only then for a fixed dtype', () => {
    let checked = 0;
    for (const device of DEVICES) {
      for (const webgpu of PROBES) {
        for (const dtype of ['auto', ...DTYPES] as const) {
          const build = chooseOrtBuild({ device, dtype, webgpu });
          for (const available of VARIANT_SETS) {
            let backend: 'webgpu' | 'wasm';
            try {
              backend = chooseBackend({ device, dtype, webgpu, available }).backend;
            } catch {
              continue; // that load fails whatever the build
            }
            checked += 1;
            if (backend === 'webgpu') expect(build, `${device} ${dtype} ${available.join('+')}`).toBe('webgpu');
            if (dtype !== 'auto') expect(build, `${device} ${dtype} ${available.join('+')}`).toBe(backend);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

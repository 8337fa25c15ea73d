import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import type { Dtype } from '../../src/runtime/common/dtypes';
import { chooseBackend, type BackendRequest } from '../../src/runtime/web/backend-choice';
import type { WebGpuProbe } from '../../src/runtime/web/webgpu-probe';
import { webGpuAdapter } from './webgpu-adapter';

const ALL: Dtype[] = ['fp32', 'fp16', 'q8', 'q4'];
const noAdapter: WebGpuProbe = { available: false, reason: 'no WebGPU adapter (requestAdapter() returned null)' };
const request = (over: Partial<BackendRequest>): BackendRequest => ({
  device: 'auto',
  dtype: 'auto',
  webgpu: noAdapter,
  available: ALL,
  ...over,
});

function errorOf(fn: () => unknown): { code: string; argument: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    if (isBlenderError(error)) return { code: error.code, argument: error.argument, message: error.message };
    throw error;
  }
  throw new Error('expected a BlenderError');
}

describe('chooseBackend', () => {
  it.each<[string, Partial<BackendRequest>, string, Dtype, RegExp]>([
    ['auto without adapter -> WASM q8', {}, 'wasm', 'q8', /WASM: no WebGPU adapter/],
    ['auto with shader-f16 -> WebGPU fp16', { webgpu: webGpuAdapter(true) }, 'webgpu', 'fp16', /WebGPU \(acme x1\)/],
    ['auto without shader-f16 -> WebGPU q4', { webgpu: webGpuAdapter(false) }, 'webgpu', 'q4', /WebGPU/],
    ['auto, no q4 variant, no f16 -> WebGPU fp32', { webgpu: webGpuAdapter(false), available: ['fp32', 'q8'] }, 'webgpu', 'fp32', /WebGPU/],
    ['q8 asked with an adapter -> WASM, says why', { webgpu: webGpuAdapter(true), dtype: 'q8' }, 'wasm', 'q8', /q8 does not run on WebGPU/],
    ['fp16 asked, adapter lacks f16 -> WASM, says why', { webgpu: webGpuAdapter(false), dtype: 'fp16' }, 'wasm', 'fp16', /shader-f16/],
    ['wasm forced with an adapter', { webgpu: webGpuAdapter(true), device: 'wasm' }, 'wasm', 'q8', /as asked/],
    ['wasm, model without q8 -> fp32', { device: 'wasm', available: ['fp32', 'fp16'] }, 'wasm', 'fp32', /as asked/],
    ['webgpu forced, q4', { webgpu: webGpuAdapter(false, 'a fallback adapter'), device: 'webgpu', dtype: 'q4' }, 'webgpu', 'q4', /fallback adapter/],
  ])('%s', (_name, over, backend, dtype, reason) => {
    const choice = chooseBackend(request(over));
    expect(choice).toMatchObject({ backend, dtype });
    expect(choice.reason).toMatch(reason);
  });

  it('fails clearly when WebGPU is forced without an adapter', () => {
    const error = errorOf(() => chooseBackend(request({ device: 'webgpu' })));
    expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE', argument: 'options.device' });
    expect(error.message).toMatch(/requestAdapter\(\) returned null/);
  });

  it('refuses q8 on forced WebGPU instead of running it on the CPU', () => {
    expect(errorOf(() => chooseBackend(request({ device: 'webgpu', dtype: 'q8', webgpu: webGpuAdapter(true) })))).toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      argument: 'options.dtype',
    });
  });

  it('names a dtype the model has no file for', () => {
    const error = errorOf(() => chooseBackend(request({ dtype: 'q4', available: ['fp32'] })));
    expect(error).toMatchObject({ code: 'INVALID_OPTION', argument: 'options.dtype' });
    expect(error.message).toMatch(/no such variant/);
  });
});

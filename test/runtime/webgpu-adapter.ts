import type { WebGpuProbe } from '../../src/runtime/web/webgpu-probe';

/** A WebGPU probe that found an adapter (acme x1): a software one when `software` names it. */
export function webGpuAdapter(shaderF16: boolean, software: string | null = null): WebGpuProbe {
  return {
    available: true,
    adapter: {
      vendor: 'acme',
      architecture: 'x1',
      device: '',
      description: '',
      isFallbackAdapter: software !== null,
      software,
      shaderF16,
      maxBufferSize: 1 << 30,
    },
  };
}

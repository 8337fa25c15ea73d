import { describe, expect, it } from 'vitest';
import { probeWebGpu } from '../../src/runtime/web/webgpu-probe';

function fakeAdapter(features: string[], info: Record<string, unknown>) {
  return { features: new Set(features), limits: { maxBufferSize: 1 << 30 }, info };
}

describe('probeWebGpu', () => {
  it('reports a missing API without touching anything', async () => {
    const probe = await probeWebGpu({});
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
    expect(probe).toEqual({ available: false, reason: expect.stringMatching(/no WebGPU API/) });
  });

  it('treats an API that yields no adapter as unavailable (the headless Chromium case)', async () => {
    const probe = await probeWebGpu({ gpu: { requestAdapter: async () => null } });
    expect(probe.available).toBe(false);
    if (!probe.available) expect(probe.reason).toMatch(/returned null/);
  });

  it('turns a throwing requestAdapter into a reason instead of an exception', async () => {
    const probe = await probeWebGpu({
      gpu: {
        requestAdapter: async () => {
          throw new Error('GPU process crashed');
        },
      },
    });
    expect(probe.available).toBe(false);
    if (!probe.available) expect(probe.reason).toMatch(/GPU process crashed/);
  });

  it('reads shader-f16 and the fallback flag from the adapter', async () => {
    const adapter = fakeAdapter(['shader-f16'], { vendor: 'acme', architecture: 'rdna', isFallbackAdapter: false });
    const probe = await probeWebGpu({ gpu: { requestAdapter: async () => adapter } });
    expect(probe).toMatchObject({ available: true, adapter: { vendor: 'acme', shaderF16: true, isFallbackAdapter: false, maxBufferSize: 1 << 30 } });
  });

  it('finds the fallback flag on older adapters that carry it themselves', async () => {
    const adapter = { ...fakeAdapter([], { vendor: 'google', architecture: 'swiftshader' }), isFallbackAdapter: true };
    const probe = await probeWebGpu({ gpu: { requestAdapter: async () => adapter } });
    expect(probe).toMatchObject({ available: true, adapter: { isFallbackAdapter: true, shaderF16: false } });
  });
});

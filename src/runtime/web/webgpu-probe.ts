/**
 * Probes WebGPU the only reliable way: by asking for an adapter. `'gpu' in navigator`
 * is true in headless Chromium even when no adapter can be had.
 */

/** The adapter facts that decide the backend and dtype; plain data, so it crosses postMessage. */
export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software or otherwise limited adapter (SwiftShader in headless Chromium). */
  isFallbackAdapter: boolean;
  /** `shader-f16`: needed to run fp16 models on WebGPU. */
  shaderF16: boolean;
  maxBufferSize: number;
}

export type WebGpuProbe = { available: true; adapter: WebGpuAdapterInfo } | { available: false; reason: string };

// Only the members of the WebGPU API read here; avoids a dependency on @webgpu/types.
interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
  readonly limits: { readonly maxBufferSize: number };
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & {
    readonly isFallbackAdapter?: boolean;
  };
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

export async function probeWebGpu(nav: { gpu?: unknown } = globalThis.navigator ?? {}): Promise<WebGpuProbe> {
  const gpu = nav.gpu as GpuLike | undefined;
  if (!gpu || typeof gpu.requestAdapter !== 'function') {
    return { available: false, reason: 'this browser has no WebGPU API (navigator.gpu is missing)' };
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { available: false, reason: `navigator.gpu.requestAdapter() failed: ${String(error)}` };
  }
  if (!adapter) {
    return { available: false, reason: 'no WebGPU adapter (requestAdapter() returned null)' };
  }
  const info = adapter.info ?? {};
  return {
    available: true,
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      // Newer Chromium moved the flag from the adapter to adapter.info.
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  };
}

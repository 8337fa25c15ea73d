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
  /**
   * The software renderer behind the adapter ("SwiftShader", "a fallback adapter", ...), or
   * null for real hardware. `device: 'auto'` never picks a software adapter (backend-choice.ts).
   */
  software: string | null;
  /** `shader-f16`: needed to run fp16 models on WebGPU. */
  shaderF16: boolean;
  maxBufferSize: number;
}

export type WebGpuProbe = { available: true; adapter: WebGpuAdapterInfo } | { available: false; reason: string };

// Only the members of the WebGPU API read here; avoids a dependency on @webgpu/types.
interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
  readonly limits: { readonly maxBufferSize: number };
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description' | 'type', string>> & {
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
  const names = { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
  // Newer Chromium moved the flag from the adapter to adapter.info.
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  return {
    available: true,
    adapter: {
      ...names,
      isFallbackAdapter,
      software: softwareRenderer(names, isFallbackAdapter, info.type),
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  };
}

/** Renderers that run WebGPU on the CPU, as their names appear in an adapter's info. */
const SOFTWARE_RENDERERS: readonly [RegExp, string][] = [
  [/swiftshader|subzero/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/microsoft basic render|\bwarp\b/i, 'WARP'],
];

/**
 * Which software renderer an adapter is, or null for hardware: a known renderer's name, else
 * any fallback adapter, else an adapter whose (Chromium-only) `info.type` says CPU.
 */
export function softwareRenderer(
  names: Record<'vendor' | 'architecture' | 'device' | 'description', string>,
  isFallbackAdapter: boolean,
  type?: string,
): string | null {
  const text = Object.values(names).join(' ');
  const known = SOFTWARE_RENDERERS.find(([pattern]) => pattern.test(text));
  if (known) return known[1];
  if (isFallbackAdapter) return 'a fallback adapter';
  if (type && /cpu/i.test(type)) return 'a CPU adapter';
  return null;
}

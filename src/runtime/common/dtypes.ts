/**
 * The one dtype table: each weight format a model folder may ship, its file suffix
 * (transformers.js's naming, docs/model-folder.md), what to call it, and which backends run
 * it well. Every dtype list, suffix and check in the runtime derives from here.
 */

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';

/** Where a model can run: WebGPU or WASM in pages, onnxruntime-node's CPU provider (or its CUDA provider, where installed) in Node. */
export type Backend = 'webgpu' | 'wasm' | 'cpu' | 'cuda';

export interface DtypeSpec {
  /** Appended to a graph's stem: `onnx/model{suffix}.onnx`. */
  readonly suffix: string;
  /** For people: progress messages, the demo. */
  readonly label: string;
  /**
   * The backends with real kernels for it. q8's DynamicQuantizeLinear + MatMulInteger have
   * none on WebGPU: ORT would run them on the CPU, slower than plain WASM.
   */
  readonly backends: readonly Backend[];
}

export const DTYPE_TABLE: Readonly<Record<Dtype, DtypeSpec>> = {
  fp32: { suffix: '', label: 'fp32 (full precision)', backends: ['webgpu', 'wasm', 'cpu'] },
  fp16: { suffix: '_fp16', label: 'fp16 (half precision)', backends: ['webgpu', 'wasm', 'cpu'] },
  q8: { suffix: '_quantized', label: 'q8 (8-bit weights)', backends: ['wasm', 'cpu'] },
  q4: { suffix: '_q4', label: 'q4 (4-bit weights)', backends: ['webgpu', 'wasm', 'cpu'] },
};

/** Every dtype, in the table's order. */
export const DTYPES = Object.keys(DTYPE_TABLE) as readonly Dtype[];

/** What `createBlender({ dtype })` accepts: a dtype, or `auto` (the host picks). */
export type DtypeOption = Dtype | 'auto';
export const DTYPE_OPTIONS: readonly DtypeOption[] = ['auto', ...DTYPES];

export function isDtypeOption(value: unknown): value is DtypeOption {
  return typeof value === 'string' && (DTYPE_OPTIONS as readonly string[]).includes(value);
}

/** A graph's file for a dtype, relative to the model folder: `onnx/{stem}{suffix}.onnx`. */
export function graphFile(stem: string, dtype: Dtype): string {
  return `onnx/${stem}${DTYPE_TABLE[dtype].suffix}.onnx`;
}

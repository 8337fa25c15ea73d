import { BlenderError } from '../engine/errors';
import { DEFAULT_PAIR_CACHE_SIZE } from '../engine/pair-cache';
import { checkIntegerOption, checkOptions, checkSignalOption } from '../engine/validate';
import { DTYPE_OPTIONS, isDtypeOption, type Dtype, type DtypeOption } from '../runtime/common/dtypes';

export type NodeDevice = 'auto' | 'cpu' | 'cuda';

export interface NodeBlenderOptions {
  /** Ranker model folder (relative to the current directory, or absolute), or null for none. */
  ranker?: string | null;
  /** GenFuser model folder (transformers.js layout), or null for none. */
  fuser?: string | null;
  /**
   * onnxruntime-node's CPU provider ('auto' = 'cpu'), or its CUDA provider for the ranker where
   * it is installed (`BACKEND_UNAVAILABLE` otherwise, saying how to install it; the fuser stays on the CPU).
   */
  device?: NodeDevice;
  /** Which ranker and fuser graphs to load; 'auto' = fp32 (the fastest exact choice on a CPU). */
  dtype?: DtypeOption;
  /** onnxruntime-node intra-op threads; default: onnxruntime's own (all cores). */
  threads?: number;
  /** Default pairs per model run for every call (a call's own batchSize wins). */
  batchSize?: number;
  /** Default token budget per model run for every call. */
  tokenBudget?: number;
  /**
   * Most pair logits the ranker keeps (exact, least recently used out; src/engine/pair-cache.ts):
   * a pair already run is not run again. 0 = off. Default {@link DEFAULT_PAIR_CACHE_SIZE}.
   */
  pairCache?: number;
  /** Aborts loading: createBlender rejects with `ABORTED` and frees what it had opened. */
  signal?: AbortSignal;
}

export interface ResolvedNodeOptions {
  ranker: string | null;
  fuser: string | null;
  device: 'cpu' | 'cuda';
  dtype: Dtype;
  dtypeReason: string;
  threads: number | undefined;
  batchSize: number | undefined;
  tokenBudget: number | undefined;
  pairCache: number;
  signal: AbortSignal | undefined;
}

const KEYS = ['ranker', 'fuser', 'device', 'dtype', 'threads', 'batchSize', 'tokenBudget', 'pairCache', 'signal'];

export function resolveNodeOptions(options: unknown): ResolvedNodeOptions {
  const opts = checkOptions<NodeBlenderOptions>(options, KEYS);
  const ranker = opts.ranker ?? null;
  if (ranker !== null && (typeof ranker !== 'string' || ranker.length === 0)) {
    throw new BlenderError('INVALID_OPTION', 'options.ranker must be a model folder path or null', 'options.ranker');
  }
  const fuser = opts.fuser ?? null;
  if (fuser !== null && (typeof fuser !== 'string' || fuser.length === 0)) {
    throw new BlenderError('INVALID_OPTION', 'options.fuser must be a model folder path or null', 'options.fuser');
  }
  const device = opts.device ?? 'auto';
  if (device !== 'auto' && device !== 'cpu' && device !== 'cuda') {
    throw new BlenderError(
      'BACKEND_UNAVAILABLE',
      `device ${JSON.stringify(device)} does not exist in Node: use 'cpu', 'cuda' or 'auto' (webgpu and wasm are for pages)`,
      'options.device',
    );
  }
  const dtype = opts.dtype ?? 'auto';
  if (!isDtypeOption(dtype)) {
    throw new BlenderError('INVALID_OPTION', `options.dtype must be one of ${DTYPE_OPTIONS.join(', ')}`, 'options.dtype');
  }
  return {
    ranker,
    fuser,
    device: device === 'cuda' ? 'cuda' : 'cpu',
    dtype: dtype === 'auto' ? 'fp32' : dtype,
    dtypeReason: dtype === 'auto' ? "dtype 'auto' is fp32 in Node (exact, and the fastest on CPU)" : 'as asked',
    threads: checkIntegerOption(opts.threads, 'threads', 1),
    batchSize: checkIntegerOption(opts.batchSize, 'batchSize', 1),
    tokenBudget: checkIntegerOption(opts.tokenBudget, 'tokenBudget', 1),
    pairCache: checkIntegerOption(opts.pairCache, 'pairCache', 0) ?? DEFAULT_PAIR_CACHE_SIZE,
    signal: checkSignalOption(opts.signal),
  };
}

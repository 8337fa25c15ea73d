/**
 * What every host reports about a loaded model in `info().ranker` / `info().fuser`: the page
 * and Node extend this one shape, so code that reads it works with either entry.
 */
import type { PairCacheInfo } from '../../engine/pair-cache';
import type { Backend, Dtype } from './dtypes';
import type { SelfCheckInfo } from './probe';

export type ModelRole = 'ranker' | 'fuser';

export interface ModelTimings {
  /** Milliseconds from the start of the load to a ready model. */
  loadMs: number;
}

export interface ModelInfo {
  /** Where the model came from: a folder path (Node) or a URL (pages). */
  source: string;
  /** The ONNX graphs loaded, relative to the folder. */
  files: string[];
  dtype: Dtype;
  backend: Backend;
  /** Why this backend and dtype, including anything fallen back from. */
  reason: string;
  /**
   * The self-check run after loading (the probe in the folder's manifest.json): `passed` with
   * the deviation measured and the tolerance, or `not self-checked` and why (no probe).
   */
  selfCheck: SelfCheckInfo;
  timings: ModelTimings;
  /** Model passes run for the caller: ordered pairs for the ranker, fused inputs for the fuser. */
  passes: number;
  /** Milliseconds spent in those passes. */
  computeMs: number;
  /**
   * The ranker's exact pair cache (createBlender's `pairCache`): entries held, capacity, and
   * the pair rows found there (hits, not run) or not (misses, run) by the caller's calls.
   * Absent for the fuser.
   */
  pairCache?: PairCacheInfo;
}

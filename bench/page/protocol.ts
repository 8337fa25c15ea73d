// Messages between the bench page and its throughput worker (plain data only).
import type { BenchCase, CaseResult } from '../lib/timed-cases.mjs';
import type { Dtype } from '../../src/runtime/common/dtypes';

/** ORT web session options the benchmark varies (see README "Benchmarks"). */
export interface BenchSessionOptions {
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  executionMode?: 'sequential' | 'parallel';
}

export interface ThroughputRequest {
  backend: 'wasm' | 'webgpu';
  /** onnxruntime-web's numThreads (WASM); 0 = navigator.hardwareConcurrency. */
  threads: number;
  dtype: Dtype;
  /** The model file's URL on this origin. */
  url: string;
  padId: number;
  cases: BenchCase[];
  sessionOptions?: BenchSessionOptions;
}

export interface ThroughputReply {
  threads: number;
  fetchMs: number;
  sessionMs: number;
  results: CaseResult[];
  error?: string;
}

/** Several session-option sets on one model, timed in interleaved rounds (fair under load). */
export interface CompareRequest {
  threads: number;
  url: string;
  padId: number;
  rows: number[][];
  rounds: number;
  variants: { name: string; options: BenchSessionOptions }[];
}

export interface CompareReply {
  threads: number;
  variants: { name: string; sessionMs: number; times: number[]; logits: number[] }[];
  error?: string;
}

/** One warm-load round in a fresh worker (bench/page/warm-phases-core.ts). */
export interface WarmPhasesRequest {
  /** The IndexedDB database the model store filled (object store `models`). */
  dbName: string;
  model: string;
  path: string;
  threads: number;
  padId: number;
  rows: number[][];
  /** Hash while the session is created instead of before. */
  overlapHash: boolean;
  /** ORT's wasm started with a tiny session: not (in the first create), before the read, or during it. */
  startOrt: 'lazy' | 'first' | 'parallel';
  sessionOptions: BenchSessionOptions;
  build: 'page' | 'plain';
}

export interface WarmPhasesReply {
  /** Milliseconds per phase, by name (readMs, concatMs, hashMs, createMs, readyMs, firstRunMs, runMs ...). */
  times: Record<string, number>;
  logit: number;
  error?: string;
}

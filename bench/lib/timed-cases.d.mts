export interface BenchCase {
  key: string;
  rows: number[][];
  padTo?: number;
  runs: number;
  warmup: boolean;
}

export interface CaseResult {
  key: string;
  batch: number;
  length: number;
  times: number[];
  medianMs: number;
  logits: number[] | null;
}

export type RunRows = (ids: BigInt64Array, mask: BigInt64Array, batch: number, length: number) => Promise<ArrayLike<number>>;

export function timeCases(cases: readonly BenchCase[], padId: number, run: RunRows, log?: (line: string) => void): Promise<CaseResult[]>;

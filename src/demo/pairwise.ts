// The demo's ranking and comparison, on the public API. A full rank asks compare() for every
// ordered pair (the N(N-1) passes rank() runs too) so the page can show the matrix, then
// aggregates exactly as rank() does; bubble asks rank() itself (no matrix exists).
import { aggregateScores, ranksFromScores } from '../engine/aggregate';
import type { ComputeProgress, Ranker, RankStrategy } from '../engine/types';

export interface RankRequest {
  instruction: string;
  input: string;
  candidates: string[];
}

export interface RankComputation {
  strategy: RankStrategy;
  /** M[i][j] = logit(candidate i, candidate j); null with bubble. */
  matrix: number[][] | null;
  /** max_logits scores; null with bubble. */
  scores: number[] | null;
  /** 1 = best; with bubble every candidate but the best has rank 2. */
  ranks: number[];
  /** Model passes (ordered pairs) run. */
  passes: number;
}

type PairRanker = Pick<Ranker, 'rank' | 'compare'>;

export async function rankCandidates(
  ranker: PairRanker,
  request: RankRequest,
  strategy: RankStrategy,
  signal: AbortSignal,
  onProgress: (progress: ComputeProgress) => void,
): Promise<RankComputation> {
  const live = { on: true };
  try {
    return await rankOnce(ranker, request, strategy, signal, (progress) => live.on && onProgress(progress));
  } finally {
    // Progress crosses from the worker as messages of its own: one can land after the
    // result. It must not overwrite what the page shows once the call is over.
    live.on = false;
  }
}

async function rankOnce(
  ranker: PairRanker,
  request: RankRequest,
  strategy: RankStrategy,
  signal: AbortSignal,
  onProgress: (progress: ComputeProgress) => void,
): Promise<RankComputation> {
  const { instruction, input, candidates } = request;
  if (strategy === 'bubble') {
    let passes = 0;
    const [ranks] = await ranker.rank([input], [candidates], {
      strategy: 'bubble',
      instructions: [instruction],
      signal,
      onProgress: (progress) => {
        passes = progress.total;
        onProgress(progress);
      },
    });
    return { strategy, matrix: null, scores: null, ranks: ranks!, passes };
  }
  const pairs = candidates.flatMap((_, i) => candidates.map((__, j) => [i, j] as const)).filter(([i, j]) => i !== j);
  const logits = pairs.length
    ? ((await ranker.compare(
        pairs.map(() => input),
        pairs.map(([i]) => candidates[i]!),
        pairs.map(([, j]) => candidates[j]!),
        { mode: '[A,B]', returnLogits: true, instructions: pairs.map(() => instruction), signal, onProgress },
      )) as number[])
    : [];
  const matrix = candidates.map(() => candidates.map(() => 0));
  pairs.forEach(([i, j], k) => (matrix[i]![j] = logits[k]!));
  const scores = aggregateScores(matrix, 'max_logits');
  return { strategy, matrix, scores, ranks: ranksFromScores(scores), passes: pairs.length };
}

export interface Comparison {
  /** M(A,B): A in the first slot; > 0 means A is better. */
  ab: number;
  /** M(B,A): B in the first slot; > 0 means B is better. */
  ba: number;
  /** M(A,B) - M(B,A), the default compare mode: > 0 means A is better. */
  difference: number;
}

/** Both orders of one pair, in one call (PairRM has position bias: they need not agree). */
export async function compareTwo(ranker: PairRanker, request: RankRequest, a: string, b: string, signal: AbortSignal): Promise<Comparison> {
  const { instruction, input } = request;
  const [ab, ba] = (await ranker.compare([input, input], [a, b], [b, a], {
    mode: '[A,B]',
    returnLogits: true,
    instructions: [instruction, instruction],
    signal,
  })) as [number, number];
  return { ab, ba, difference: ab - ba };
}

// The demo's ranking and comparison, on the public API: a full rank returns its pairwise
// matrix (returnMatrix) for the page to show; the other strategies run only some pairs and
// give ranks only (bubble and tournament: the best; sort and adaptive: an order).
import type { ComputeProgress, Ranker, RankStrategy } from '../client/index';

export interface RankRequest {
  instruction: string;
  input: string;
  candidates: string[];
}

export interface RankComputation {
  strategy: RankStrategy;
  /** M[i][j] = logit(candidate i, candidate j); full only, else null. */
  matrix: number[][] | null;
  /** max_logits scores; full only, else null. */
  scores: number[] | null;
  /** 1 = best; with bubble (and tournament) every candidate but the best has rank 2. */
  ranks: number[];
  /** Ordered pairs the call scored (run, or answered by the pair cache). */
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
  const { instruction, input, candidates } = request;
  let passes = 0;
  const options = {
    instructions: [instruction],
    signal,
    onProgress: (progress: ComputeProgress) => {
      passes = progress.total;
      onProgress(progress);
    },
  };
  if (strategy !== 'full') {
    const [ranks] = await ranker.rank([input], [candidates], { ...options, strategy });
    return { strategy, matrix: null, scores: null, ranks: ranks!, passes };
  }
  const ranking = await ranker.rank([input], [candidates], { ...options, returnMatrix: true });
  return { strategy, matrix: ranking.matrices[0]!, scores: ranking.scores[0]!, ranks: ranking.ranks[0]!, passes };
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
  const [ab = 0, ba = 0] = await ranker.compare([input, input], [a, b], [b, a], {
    mode: '[A,B]',
    returnLogits: true,
    instructions: [instruction, instruction],
    signal,
  });
  return { ab, ba, difference: ab - ba };
}

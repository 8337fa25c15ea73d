import { topK } from './aggregate';
import type { FusionEngine } from './fusion-engine';
import { readFuseRun } from './fusion-engine';
import type { RankAndFuseOptions, RankAndFuseResultFor, RankDetails, Ranker } from './types';
import { checkBooleanOption, checkCandidateLists, checkInstructions, checkIntegerOption, checkStringList } from './validate';

/** Reference default of rank_and_fuse's top_k. */
export const DEFAULT_TOP_K = 3;

/**
 * rank_and_fuse (docs/reference.md §5): full rank with PairRM, the `topK` best candidates per
 * input (best first), fused with GenFuser. `signal`, `instructions` and `onProgress` apply
 * to both stages; `batchSize`/`tokenBudget` to both, each within its own model.
 */
export async function rankAndFuse<WithMatrix extends boolean = false>(
  ranker: Ranker,
  fusion: FusionEngine,
  inputs: readonly string[],
  candidates: readonly (readonly string[])[],
  options?: RankAndFuseOptions & { returnMatrix?: WithMatrix },
): Promise<RankAndFuseResultFor<WithMatrix>> {
  const { run, opts } = readFuseRun<RankAndFuseOptions>(options, ['topK', 'returnMatrix']);
  const k = checkIntegerOption(opts.topK, 'topK', 1) ?? DEFAULT_TOP_K;
  const returnMatrix = checkBooleanOption(opts.returnMatrix, 'returnMatrix') ?? false;
  checkStringList(inputs, 'inputs');
  checkCandidateLists(candidates, 'candidates', inputs.length);
  checkInstructions(opts.instructions, inputs.length);
  const ranking: RankDetails = await ranker.rank(inputs, candidates, {
    returnMatrix: true,
    instructions: opts.instructions ?? null,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.tokenBudget !== undefined ? { tokenBudget: opts.tokenBudget } : {}),
  });
  const { ranks } = ranking;
  const topCandidates = topK(ranks, candidates, k);
  const fused = await fusion.fuseChecked(inputs, topCandidates, opts.instructions ?? null, run);
  const result = returnMatrix ? { fused, ranks, topCandidates, scores: ranking.scores, matrices: ranking.matrices } : { fused, ranks, topCandidates };
  return result as RankAndFuseResultFor<WithMatrix>;
}

import type { PairScorer } from '../bubble';
import { CallProgress } from '../pair-scorer';
import type { ComputeProgress } from '../types';
import type { MatchOptions } from './options';
import { sortPassBound, sortRanks } from './sort';
import { tournamentPassBound, tournamentRanks } from './tournament';

export type MatchStrategy = 'tournament' | 'sort';

/** The most passes the strategy can make on these inputs: progress's `total` until it ends. */
export function matchPassBound(strategy: MatchStrategy, counts: readonly number[], options: MatchOptions): number {
  return strategy === 'tournament' ? tournamentPassBound(counts, options.topK, options.orders) : sortPassBound(counts, options.orders);
}

/** Ranks every input with the strategy; returns the ranks and the passes it made. */
export async function rankByMatches(
  strategy: MatchStrategy,
  counts: readonly number[],
  options: MatchOptions,
  score: PairScorer,
): Promise<{ ranks: number[][]; passes: number }> {
  return strategy === 'tournament' ? tournamentRanks(counts, options.topK, options.orders, score) : sortRanks(counts, options.orders, score);
}

/**
 * Progress ran against the bound; when fewer passes were needed, one last event says
 * done === total with the passes actually made (callers read that as "finished").
 */
export function finishProgress(bound: number, passes: number, onProgress: ((progress: ComputeProgress) => void) | undefined): void {
  if (passes > 0 && passes !== bound) new CallProgress(passes, onProgress).advance(passes);
}

import { BlenderError } from './errors';
import type { Aggregation } from './types';

/**
 * A pairwise matrix for one input: m[i][j] = logit(c_i, c_j) (> 0: c_i better), diagonal 0.
 * PairRM has position bias, so m[i][j] != -m[j][i] in general.
 */
export type PairMatrix = readonly (readonly number[])[];

/**
 * - max_logits (reference): score_i = (1/N) * sum_j (m[i][j] - m[j][i]), diagonal included
 *   in N.
 * - max_wins (ours): score_i = #{j: m[i][j] > 0} + #{j: m[j][i] < 0}: c_i's wins counted in
 *   both orders of every pair (the reference's evaluation helper is inconsistent here).
 */
export function aggregateScores(matrix: PairMatrix, aggregation: Aggregation): number[] {
  const n = matrix.length;
  const at = (i: number, j: number): number => matrix[i]![j]!;
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (aggregation === 'max_logits') {
        score += at(i, j) - at(j, i);
      } else {
        score += (at(i, j) > 0 ? 1 : 0) + (at(j, i) < 0 ? 1 : 0);
      }
    }
    scores.push(aggregation === 'max_logits' ? score / n : score);
  }
  return scores;
}

/**
 * rank_i = 1 + the index of the first occurrence of score_i in the scores sorted descending:
 * 1 = best, exact ties share the best rank (scores 5, 5, 1 -> ranks 1, 1, 3).
 */
export function ranksFromScores(scores: readonly number[]): number[] {
  return scores.map((score) => 1 + scores.filter((other) => other > score).length);
}

/**
 * Candidates ordered by rank, best first, the first `k` (reference
 * get_topk_candidates_from_ranks). Equal ranks keep their original order.
 */
export function topK<T>(ranks: readonly (readonly number[])[], candidates: readonly (readonly T[])[], k: number): T[][] {
  checkTopKArguments(ranks, candidates, k);
  return ranks.map((row, i) => {
    const list = candidates[i] ?? [];
    return row
      .map((rank, index) => ({ rank, index }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .slice(0, Math.max(0, k))
      .map(({ index }) => list[index]!);
  });
}

/** topK is public: a JavaScript caller's mistake is a BlenderError naming it, not a TypeError. */
function checkTopKArguments(ranks: unknown, candidates: unknown, k: unknown): void {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) {
    throw new BlenderError('INVALID_ARGUMENT', `k must be an integer >= 0 (got ${String(k)})`, 'k');
  }
  if (!Array.isArray(ranks)) throw new BlenderError('INVALID_ARGUMENT', 'ranks must be an array of rank arrays', 'ranks');
  if (!Array.isArray(candidates)) throw new BlenderError('INVALID_ARGUMENT', 'candidates must be an array of arrays', 'candidates');
  if (candidates.length !== ranks.length) {
    throw new BlenderError('LENGTH_MISMATCH', `candidates has ${candidates.length} lists, ranks has ${ranks.length}`, 'candidates');
  }
  ranks.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.some((rank) => typeof rank !== 'number' || Number.isNaN(rank))) {
      throw new BlenderError('INVALID_ARGUMENT', `ranks[${i}] must be an array of numbers`, `ranks[${i}]`);
    }
    const list: unknown = candidates[i];
    if (!Array.isArray(list) || list.length !== row.length) {
      throw new BlenderError('LENGTH_MISMATCH', `candidates[${i}] must have one item per rank in ranks[${i}]`, `candidates[${i}]`);
    }
  });
}

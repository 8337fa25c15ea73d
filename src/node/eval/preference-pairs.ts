// Preference pairs for DPO / RLHF training from a ranked row: the prompt, a chosen and a
// rejected answer, the margin between their scores, and their models. Three ways to pick:
// best-worst (the pick against the last-ranked candidate), all (every two candidates of
// different rank), adjacent (each candidate against the next one down). Candidates of equal
// rank, and pairs of identical texts, give no pair: they teach no preference.
import type { RankRow } from '../../datasets/batch-rows';
import type { PairsMode } from './eval-args';
import type { EvalRecord } from './rank-rows';
import { pickIndex } from './summary';

export interface PreferencePair {
  row: number;
  id: string | null;
  /** instruction + input, as PairRM reads the source (no separator added). */
  prompt: string;
  chosen: string;
  rejected: string;
  /** score(chosen) − score(rejected): full's max_logits or adaptive's strengths; null for rank-only strategies. */
  margin: number | null;
  chosen_model: string;
  rejected_model: string;
  chosen_rank: number;
  rejected_rank: number;
}

export function preferencePairs(row: RankRow, record: EvalRecord, mode: PairsMode, minMargin = 0): PreferencePair[] {
  const { ranks, scores } = record;
  const make = (i: number, j: number): PreferencePair => ({
    row: record.row,
    id: record.id,
    prompt: row.instruction + row.input,
    chosen: row.candidates[i]!,
    rejected: row.candidates[j]!,
    margin: scores ? scores[i]! - scores[j]! : null,
    chosen_model: record.models[i]!,
    rejected_model: record.models[j]!,
    chosen_rank: ranks[i]!,
    rejected_rank: ranks[j]!,
  });
  // Best first; equal ranks keep the row's order.
  const order = ranks.map((_, i) => i).sort((x, y) => ranks[x]! - ranks[y]! || x - y);
  let candidates: [number, number][];
  if (mode === 'best-worst') {
    const worstRank = Math.max(...ranks);
    candidates = [[pickIndex(ranks), ranks.indexOf(worstRank)]];
  } else if (mode === 'adjacent') {
    candidates = order.slice(1).map((j, k) => [order[k]!, j]);
  } else {
    candidates = order.flatMap((i, k) => order.slice(k + 1).map((j): [number, number] => [i, j]));
  }
  return candidates
    .filter(([i, j]) => ranks[i]! < ranks[j]! && row.candidates[i] !== row.candidates[j])
    .map(([i, j]) => make(i, j))
    .filter((pair) => pair.margin === null || pair.margin >= minMargin);
}

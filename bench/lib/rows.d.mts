export interface PairRankerIds {
  cls_token_id: number;
  sep_token_id: number;
  source_prefix_id: number;
  cand1_prefix_id: number;
  cand2_prefix_id: number;
}
export function pairRow(config: PairRankerIds, source: number, candidate: number, seed: number): number[];
export function pairRows(config: PairRankerIds, source: number, candidate: number, batch: number): number[][];
export function packRows(rows: readonly (readonly number[])[], length: number, padId: number): { ids: BigInt64Array; mask: BigInt64Array };

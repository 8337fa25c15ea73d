// test/golden/fuser.json (tools/fuser: prompts built per REFERENCE.md §5 by the Python
// reference re-implementation, torch greedy and 4-beam generations) and the tiny fuser.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const TINY_FUSER = 'public/models/tiny-fuser';
export const TINY_PAIRRM = 'public/models/tiny-pairrm';

export interface Generation {
  ids: number[];
  text: string;
}
export interface GoldenCase {
  name: string;
  instruction: string;
  input: string;
  candidates: string[];
  prompt: string;
  prompt_ids: number[];
  input_ids: number[];
  over_total_limit: boolean;
  greedy: Generation;
  beam: Generation;
}
export interface Goldens {
  source_max_tokens: number;
  candidate_max_tokens: number;
  max_new_tokens: number;
  num_beams: number;
  cases: GoldenCase[];
}

export const goldens = JSON.parse(readFileSync(resolve(__dirname, '../golden/fuser.json'), 'utf8')) as Goldens;
/** Cases whose prompt fits the limit: there ours and the reference feed the same ids. */
export const withinLimit = goldens.cases.filter((c) => !c.over_total_limit);
export const overLimit = goldens.cases.filter((c) => c.over_total_limit);

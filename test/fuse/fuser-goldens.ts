// test/golden/fuser.json (tools/fuser: prompts built per docs/reference.md §5 by the Python
// reference re-implementation, torch greedy and 4-beam generations) and the tiny fuser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const TINY_FUSER = join(REPO, 'public/models/tiny-fuser');
export const TINY_PAIRRM = join(REPO, 'public/models/tiny-pairrm');

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

export const goldens = JSON.parse(readFileSync(join(REPO, 'test/golden/fuser.json'), 'utf8')) as Goldens;
/** Cases whose prompt fits the limit: there ours and the reference feed the same ids. */
export const withinLimit = goldens.cases.filter((c) => !c.over_total_limit);
export const overLimit = goldens.cases.filter((c) => c.over_total_limit);

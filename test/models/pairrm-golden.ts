// Reads test/golden/pairrm.json (written by tools/pairrm/goldens.py from sentencepiece and
// the PyTorch model) and the tiny model folder it was made for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const TINY_PAIRRM = join(REPO, 'public/models/tiny-pairrm');

export interface GoldenPair {
  name: string;
  instruction: string;
  input: string;
  candidate1: string;
  candidate2: string;
  content_ids: { source: number[]; candidate1: number[]; candidate2: number[] };
  input_ids: number[];
  logit: number;
}

export interface PairRMGoldens {
  model: string;
  cls_token_id: number;
  sep_token_id: number;
  marker_ids: { source: number; candidate1: number; candidate2: number };
  source_max_length: number;
  candidate_max_length: number;
  pairs: GoldenPair[];
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const goldens = readJson<PairRMGoldens>(join(REPO, 'test/golden/pairrm.json'));

// The synth ranker's held-out preference pairs (test/fixtures/synth/heldout.jsonl, the test
// split tools/synth wrote): one row per pair, the better and the worse answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './pairrm-golden';

export interface HeldoutRow {
  family: string;
  instruction: string;
  input: string;
  better: string;
  worse: string;
}

export function readHeldout(): HeldoutRow[] {
  return readFileSync(join(REPO, 'test/fixtures/synth/heldout.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HeldoutRow);
}

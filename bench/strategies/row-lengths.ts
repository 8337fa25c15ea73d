/**
 * Token lengths of the model rows a set's pairs make (source row + both candidate rows, as
 * the engine builds them with the model's own tokenizer and limits): what a pass costs
 * depends on them, so the wall times are reported with them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PairRowBuilder, sourceText } from '../../src/engine/encode';
import { readPairRankerConfig } from '../../src/engine/pair-config';
import { createPlainTextTokenizer } from '../../src/runtime/common/tokenizer';
import { median } from '../lib/stats.mjs';

export interface RowLengths {
  /** Over every ordered pair of every set: tokens per row. */
  median: number;
  max: number;
  min: number;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')) as unknown;

export function rowLengths(modelDir: string, sets: readonly { instruction: string; input: string; candidates: readonly string[] }[]): RowLengths {
  const tokenizer = createPlainTextTokenizer(readJson(join(modelDir, 'tokenizer.json')), readJson(join(modelDir, 'tokenizer_config.json')), modelDir);
  const builder = new PairRowBuilder(tokenizer, readPairRankerConfig(readJson(join(modelDir, 'config.json')), modelDir));
  const lengths: number[] = [];
  for (const set of sets) {
    const source = sourceText(set.instruction, set.input);
    for (const cand1 of set.candidates) for (const cand2 of set.candidates) if (cand1 !== cand2) lengths.push(builder.pairLength({ source, cand1, cand2 }));
  }
  return { median: median(lengths), max: Math.max(...lengths), min: Math.min(...lengths) };
}

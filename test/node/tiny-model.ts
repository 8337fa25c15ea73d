/** The bundled tiny PairRM (public/models/tiny-pairrm) through the Node entry, for tests. */
import { readFileSync } from 'node:fs';
import { createBlender, type NodeBlenderOptions } from '../../src/node';
import { PairRowBuilder } from '../../src/engine/encode';
import { readPairRankerConfig } from '../../src/engine/pair-config';
import { createPlainTextTokenizer } from '../../src/runtime/common/tokenizer';

export const TINY_PAIRRM = 'public/models/tiny-pairrm';

export function tinyBlender(options: Omit<NodeBlenderOptions, 'ranker'> = {}) {
  return createBlender({ ranker: TINY_PAIRRM, fuser: null, device: 'cpu', ...options });
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(`${TINY_PAIRRM}/${file}`, 'utf8'));

/** The tiny model's config and a row builder on its real tokenizer (no model run). */
export function tinyRows() {
  const config = readPairRankerConfig(readJson('config.json'), TINY_PAIRRM);
  const tokenizer = createPlainTextTokenizer(readJson('tokenizer.json'), readJson('tokenizer_config.json'), TINY_PAIRRM);
  return { config, tokenizer, rows: new PairRowBuilder(tokenizer, config) };
}

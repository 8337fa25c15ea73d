import { BlenderError } from './errors';
import type { PairRankerConfig } from './types';

/** config.json keys (snake_case, as the model tooling writes them) -> our field names. */
const FIELDS: readonly [keyof PairRankerConfig, string][] = [
  ['sourcePrefixId', 'source_prefix_id'],
  ['cand1PrefixId', 'cand1_prefix_id'],
  ['cand2PrefixId', 'cand2_prefix_id'],
  ['clsTokenId', 'cls_token_id'],
  ['sepTokenId', 'sep_token_id'],
  ['padTokenId', 'pad_token_id'],
  ['sourceMaxLength', 'source_max_length'],
  ['candidateMaxLength', 'candidate_max_length'],
];

/**
 * Reads the PairRM fields from a ranker's config.json. Nothing is defaulted: the tiny test
 * models and the real PairRM differ in every one of them, so a missing field is an error.
 */
export function readPairRankerConfig(json: unknown, source: string): PairRankerConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BlenderError('MODEL_INVALID', `${source}: config.json is not a JSON object`, 'options.ranker');
  }
  const record = json as Record<string, unknown>;
  const config = {} as PairRankerConfig;
  for (const [field, key] of FIELDS) {
    const value = record[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new BlenderError(
        'MODEL_INVALID',
        `${source}: config.json needs "${key}" as a non-negative integer (got ${JSON.stringify(value)})`,
        'options.ranker',
      );
    }
    config[field] = value;
  }
  // A source row holds [CLS, marker, SEP] around its content, a candidate row too.
  if (config.sourceMaxLength < 4 || config.candidateMaxLength < 4) {
    throw new BlenderError('MODEL_INVALID', `${source}: source/candidate max lengths must be at least 4`, 'options.ranker');
  }
  const markers = new Set([config.sourcePrefixId, config.cand1PrefixId, config.cand2PrefixId]);
  if (markers.size !== 3) {
    throw new BlenderError('MODEL_INVALID', `${source}: the three marker ids must differ`, 'options.ranker');
  }
  return config;
}

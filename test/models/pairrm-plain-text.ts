// Plain-text tokenization with transformers.js, as the pair rule needs it: the tokenizer's
// normalizer, pre-tokenizer and Unigram model only, never added/special token matching.
// transformers.js 4.3 has no encode option for that (no split_special_tokens), so the
// public route is a second tokenizer built from the same tokenizer.json without its
// added tokens; text then cannot produce a marker or special id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreTrainedTokenizer } from '@huggingface/transformers';

export function loadPlainTextTokenizer(modelDir: string): PreTrainedTokenizer {
  const tokenizerJson = JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  const config = JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  return new PreTrainedTokenizer({ ...tokenizerJson, added_tokens: [], post_processor: null }, config);
}

export function plainTextIds(tokenizer: PreTrainedTokenizer, text: string): number[] {
  return tokenizer.encode(text, { add_special_tokens: false });
}

// Texts of about a given number of tokens (with the model's own tokenizer, as plain text)
// for the `rank` benchmarks: an input and N candidates, different words in each.
import { readFileSync } from 'node:fs';
import { PreTrainedTokenizer } from '@huggingface/transformers';

const WORDS = (
  'the a model answer question because every small large river city music garden quickly ' +
  'explains reasons often never under over between light heavy clear simple careful better ' +
  'history science language people water number system problem example result method'
).split(' ');

export function tokenCounter(modelDir) {
  const json = JSON.parse(readFileSync(`${modelDir}/tokenizer.json`, 'utf8'));
  const config = JSON.parse(readFileSync(`${modelDir}/tokenizer_config.json`, 'utf8'));
  const tokenizer = new PreTrainedTokenizer(json, config);
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}

/** A text of words drawn from `seed` whose token count first reaches `tokens`. */
export function textOfTokens(count, tokens, seed) {
  const words = [];
  let k = seed;
  while (count(words.join(' ')) < tokens) {
    k = (k * 1103515245 + 12345) % 2147483648;
    words.push(WORDS[k % WORDS.length]);
  }
  return words.join(' ');
}

/** One input of `sourceTokens` and `n` candidates of `candidateTokens` tokens each. */
export function rankTexts(count, n, sourceTokens, candidateTokens) {
  return {
    input: textOfTokens(count, sourceTokens, 17),
    candidates: Array.from({ length: n }, (_, i) => textOfTokens(count, candidateTokens, 101 + 37 * i)),
  };
}

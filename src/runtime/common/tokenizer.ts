/**
 * The ranker's tokenizer, loaded through @huggingface/transformers from the model folder's
 * tokenizer.json + tokenizer_config.json, used as PLAIN TEXT (the engine's ContentTokenizer):
 *
 * - normalizer -> pre-tokenizer -> model, exactly the library's own path for text between
 *   added tokens, but without splitting on added tokens first: a literal "<|source|>" or
 *   "[CLS]" in user text is ordinary characters, so it can never become a marker or a
 *   special id (docs/reference.md §2 and §7.3: the reference crashes or reads the wrong positions there);
 * - no specials added: the engine adds [CLS]/[SEP] and the markers around the ids itself;
 * - added tokens that also sit in a Unigram vocabulary ([PAD], [CLS], [SEP], [UNK] in
 *   DeBERTa-v3) are never matched from text, as sentencepiece treats its control and unknown
 *   symbols. transformers.js would otherwise match "[CLS]" in text to the [CLS] piece (score
 *   0, the best there is).
 *
 * In the worker, import this module only after `loadOrt()` (src/runtime/web/ort-web.ts) has
 * settled: transformers.js must find the page's onnxruntime-web instance when it loads.
 */
import { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ContentTokenizer } from '../../engine/encode';
import { BlenderError } from '../../engine/errors';
import { tokenPrefix } from '../../engine/text-prefix';

/** The members of @huggingface/tokenizers' Tokenizer the plain-text path uses. */
interface TokenizerCore {
  normalizer: ((text: string) => string) | null;
  pre_tokenizer: ((text: string, options?: { section_index?: number }) => string[]) | null;
  model: ((pieces: string[]) => string[]) & {
    tokens_to_ids: Map<string, number>;
    unk_token_id?: number;
    config: { type?: string };
    scores?: number[];
    vocab: string[];
  };
}

interface AddedTokenJson {
  id: number;
  content: string;
}

export interface PlainTextTokenizer extends ContentTokenizer {
  /** Ids of the tokens the plain-text path never produces from text. */
  readonly blockedIds: readonly number[];
}

export function createPlainTextTokenizer(tokenizerJson: unknown, tokenizerConfig: unknown, source: string): PlainTextTokenizer {
  if (!isObject(tokenizerJson) || !isObject(tokenizerJson['model'])) {
    throw new BlenderError('MODEL_INVALID', `${source}: tokenizer.json is not a tokenizers JSON file`, 'options.ranker');
  }
  const config = isObject(tokenizerConfig) ? tokenizerConfig : {};
  if (config['do_lowercase_and_remove_accent'] === true) {
    // XLM-style option; no PairRM tokenizer uses it and the library keeps its helper private.
    throw new BlenderError('MODEL_INVALID', `${source}: do_lowercase_and_remove_accent is not supported`, 'options.ranker');
  }
  let core: TokenizerCore;
  try {
    // The library copies the vocabulary into its model, so adjusting scores below leaves the
    // caller's JSON untouched.
    core = (new PreTrainedTokenizer(tokenizerJson, config) as unknown as { _tokenizer: TokenizerCore })._tokenizer;
  } catch (error) {
    throw new BlenderError('MODEL_LOAD_FAILED', `${source}: could not build the tokenizer: ${String(error)}`, 'options.ranker', {
      cause: error,
    });
  }
  const blockedIds = blockSpecialPieces(core, tokenizerJson['added_tokens']);
  const removeSpace = config['remove_space'] === true;
  const unkId = core.model.unk_token_id;

  const encodeAll = (text: string): number[] => {
    let processed = removeSpace ? text.trim().split(/\s+/).join(' ') : text;
    if (core.normalizer) processed = core.normalizer(processed);
    if (processed.length === 0) return [];
    const pieces = core.pre_tokenizer ? core.pre_tokenizer(processed, { section_index: 0 }) : [processed];
    return core.model(pieces).map((piece) => {
      const id = core.model.tokens_to_ids.get(piece) ?? unkId;
      if (id === undefined) {
        throw new BlenderError('MODEL_INVALID', `${source}: the tokenizer has no id for "${piece}" and no unknown token`, 'options.ranker');
      }
      return id;
    });
  };

  return {
    blockedIds,
    // Long texts: only their first ids are kept, so only a prefix is tokenized (text-prefix.ts).
    encodePlain: (text, maxTokens) => (maxTokens === undefined ? encodeAll(text) : tokenPrefix(text, maxTokens, encodeAll).ids),
  };
}

/** Makes added tokens that are also Unigram pieces unreachable from text (see above). */
function blockSpecialPieces(core: TokenizerCore, addedTokens: unknown): number[] {
  const scores = core.model.scores;
  if (core.model.config.type !== 'Unigram' || !Array.isArray(scores) || !Array.isArray(addedTokens)) return [];
  const blocked: number[] = [];
  for (const token of addedTokens as AddedTokenJson[]) {
    if (token.id < scores.length && core.model.vocab[token.id] === token.content) {
      // The lattice keeps the best-scoring path: -Infinity never wins while any other path
      // exists, and one always does (single characters, or the unknown token).
      scores[token.id] = Number.NEGATIVE_INFINITY;
      blocked.push(token.id);
    }
  }
  return blocked;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

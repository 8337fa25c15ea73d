import { BlenderError } from './errors';
import { textPrefix, tokenPrefix } from './text-prefix';

/**
 * GenFuser prompts, per docs/reference.md §5. Pure: the tokenizer is injected (the fuser's own,
 * which matches added tokens such as `</s>` and `<extra_id_i>`, as the reference's does).
 */

/** The fuser tokenizer as prompt building needs it. */
export interface FuseTokenizer {
  /** Text -> ids without special tokens added (added tokens in the text are matched). */
  encode(text: string): number[];
  /** Ids -> text; the reference decodes truncated candidates keeping special tokens. */
  decode(ids: readonly number[], skipSpecialTokens: boolean): string;
}

/** Prompt limits and ids of a fuser's config.json. */
export interface FuserConfig {
  /** Most prompt tokens (reference: 1024). */
  sourceMaxTokens: number;
  /** Most tokens kept of each candidate before "..." (reference: 128). */
  candidateMaxTokens: number;
  /** The id of `</s>`, which separates the prompt's pieces. */
  eosTokenId: number;
}

export const FUSE_INSTRUCTION = 'Summarize candidates into a better one for the given instruction:';
const SEPARATOR = '</s>';

export interface FusePrompt {
  /** The prompt text before truncation. */
  text: string;
  /** The encoder ids: at most sourceMaxTokens, always ending with `</s>` + the instruction. */
  ids: number[];
  /** Whether the prompt was over the limit and its input/candidates were cut. */
  truncated: boolean;
}

/**
 * Reads the limits the export wrote into config.json; never defaulted (tiny and real differ).
 * Also checks the ids generation reads from the same config (src/runtime/common/seq2seq-generate.ts),
 * so that a folder without them fails when it loads, not at its first generation.
 */
export function readFuserConfig(json: unknown, location: string): FuserConfig {
  const c = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const field = (key: string, least: number): number => {
    const value = c[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
      const kind = least > 0 ? 'positive' : 'non-negative';
      throw new BlenderError('MODEL_INVALID', `${location}/config.json lacks a ${kind} integer ${key}: not a GenFuser export`, 'options.fuser');
    }
    return value;
  };
  const config = { sourceMaxTokens: field('source_max_tokens', 1), candidateMaxTokens: field('candidate_max_tokens', 1), eosTokenId: field('eos_token_id', 1) };
  // T5's are both 0: any token id will do.
  field('decoder_start_token_id', 0);
  field('pad_token_id', 0);
  return config;
}

/** A candidate longer than the limit: its first `limit` ids, decoded, then "..." (reference). */
export function truncateCandidate(tokenizer: FuseTokenizer, candidate: string, limit: number): string {
  // Only the first limit + 1 ids matter (are there more?): a long candidate is not tokenized whole.
  const { text, ids } = tokenPrefix(candidate, limit + 1, (piece) => tokenizer.encode(piece));
  return ids.length > limit ? `${tokenizer.decode(ids.slice(0, limit), false)}...` : text;
}

/** The reference's prompt text (no truncation of the whole yet). */
export function fusePromptText(tokenizer: FuseTokenizer, config: FuserConfig, instruction: string, input: string, candidates: readonly string[]): string {
  return [
    `Instruction: ${instruction}`,
    `Input: ${input}`,
    ...candidates.map((c, i) => `Candidate ${i}: <extra_id_${i}>:${truncateCandidate(tokenizer, c, config.candidateMaxTokens)}`),
    FUSE_INSTRUCTION,
  ].join(SEPARATOR);
}

/**
 * The prompt's encoder ids. Within the limit they are exactly the reference's. Over it the
 * reference right-truncates the whole prompt, which cuts the closing instruction; ours keeps
 * the tail (the last `</s>` and the instruction after it, ids as tokenized in the whole
 * prompt: `</s>` is an added token, so what follows it tokenizes the same on its own) and
 * right-truncates only what precedes it. So the last candidates are cut first, then the
 * earlier ones, then the input and the instruction line, as the reference would cut them.
 */
export function buildFusePrompt(tokenizer: FuseTokenizer, config: FuserConfig, instruction: string, input: string, candidates: readonly string[]): FusePrompt {
  // The prompt keeps at most sourceMaxTokens, so a longer instruction or input is cut to a
  // prefix that still fills it (a few tokens spare: in the prompt its first word joins
  // "Input: "), never tokenized whole. Text holds the cut version.
  const fits = (part: string) => textPrefix(part, config.sourceMaxTokens + 8, (piece) => tokenizer.encode(piece));
  const text = fusePromptText(tokenizer, config, fits(instruction), fits(input), candidates);
  const ids = tokenizer.encode(text);
  if (ids.length <= config.sourceMaxTokens) return { text, ids, truncated: false };
  const tailStart = ids.lastIndexOf(config.eosTokenId);
  const tail = ids.slice(tailStart);
  if (tailStart < 0 || tail.length > config.sourceMaxTokens) {
    throw new BlenderError('MODEL_INVALID', `the fuser's source_max_tokens (${config.sourceMaxTokens}) cannot hold its closing instruction`, 'options.fuser');
  }
  return { text, ids: [...ids.slice(0, config.sourceMaxTokens - tail.length), ...tail], truncated: true };
}

/**
 * The first tokens of a long text without tokenizing all of it. Rankers and the fuser keep
 * at most a few hundred (fuser: about a thousand) tokens of any text, but tokenizing a 1 MB
 * text whole takes ~30 s and overflows transformers.js's stack.
 *
 * Prefixes grow until they hold enough tokens. A prefix ends right before a space that
 * follows a non-space character: sentencepiece pieces never cross a word start, and the
 * normalizers act locally there, so the prefix's ids are exactly the text's first ids.
 * Where a window has no such space (CJK, long runs without spaces), the prefix is cut
 * anyway and must hold UNCLEAN_CUT_MARGIN more tokens than needed, so the cut can only
 * affect ids that are dropped. Past HARD_CHARACTER_LIMIT characters a text is cut (ours,
 * not the reference's: only texts that stay under the token limit for that long, such as
 * a quarter million spaces).
 */

/** Tokens a cut without a clean boundary must leave beyond the ones needed. */
const UNCLEAN_CUT_MARGIN = 64;
/** Characters tokenized at most, whatever the text (bounds time and memory). */
export const HARD_CHARACTER_LIMIT = 1 << 18;

export interface TokenPrefix {
  /** The text tokenized: the whole text, or a prefix of it. */
  text: string;
  /** Its ids; at least `minTokens` of them are the whole text's first ids (all, if fewer). */
  ids: number[];
}

export function tokenPrefix(text: string, minTokens: number, encode: (text: string) => number[]): TokenPrefix {
  const found = findPrefix(text, minTokens, encode);
  return { text: found.text, ids: found.ids ?? encode(found.text) };
}

/** Just the text {@link tokenPrefix} would tokenize (a short text is not tokenized at all). */
export function textPrefix(text: string, minTokens: number, encode: (text: string) => number[]): string {
  return findPrefix(text, minTokens, encode).text;
}

function findPrefix(text: string, minTokens: number, encode: (text: string) => number[]): { text: string; ids?: number[] } {
  for (let window = Math.max(1024, minTokens * 8); window < text.length && window <= HARD_CHARACTER_LIMIT; window *= 4) {
    const cut = wordStartBefore(text, window);
    const prefix = text.slice(0, cut > 0 ? cut : window);
    const ids = encode(prefix);
    if (ids.length >= minTokens + (cut > 0 ? 0 : UNCLEAN_CUT_MARGIN)) return { text: prefix, ids };
  }
  return { text: text.length > HARD_CHARACTER_LIMIT ? text.slice(0, HARD_CHARACTER_LIMIT) : text };
}

/** The last index in (end/2, end] holding a space right after a non-space, or -1. */
function wordStartBefore(text: string, end: number): number {
  for (let i = text.lastIndexOf(' ', end); i > end / 2; i = text.lastIndexOf(' ', i - 1)) {
    if (/\S/.test(text[i - 1]!)) return i;
  }
  return -1;
}

import { BlenderError } from './errors';
import type { PairRankerConfig } from './types';

/**
 * Text -> content ids as PLAIN text: normalizer, pre-tokenizer and model only. No added-token
 * or special-token matching (a literal "<|source|>" or "[CLS]" in user text is ordinary
 * characters) and no specials added. src/runtime/common/tokenizer.ts implements it.
 */
export interface ContentTokenizer {
  /**
   * With `maxTokens`, only the first `maxTokens` ids must be exact (more may follow): rows
   * keep at most that many, and long texts then need not be tokenized whole.
   */
  encodePlain(text: string, maxTokens?: number): number[];
}

/** One ordered pair to score: the source text (instruction + input) and two candidates. */
export interface PairTexts {
  source: string;
  cand1: string;
  cand2: string;
}

/** The reference replaces every literal "[SEP]" with one space before tokenizing. */
export function sanitizeText(text: string): string {
  return text.replaceAll('[SEP]', ' ');
}

/** Source text as the reference builds it: instruction and input with no separator. */
export function sourceText(instruction: string | undefined, input: string): string {
  return (instruction ?? '') + input;
}

/**
 * Builds PairRM rows from ids (never through the tokenizer's truncation, which drops the
 * final [SEP] in transformers.js):
 *   source row = [CLS, source marker] + content[:sourceMax-3] + [SEP]
 *   budget     = floor((sourceMax + 2*candidateMax - len(source row)) / 2)   (per example)
 *   cand k row = [CLS, cand k marker] + content[:budget-3] + [SEP]
 *   row        = source row ++ cand1 row ++ cand2 row
 * One builder serves one call: every distinct text is tokenized once, however many pairs
 * it appears in.
 */
export class PairRowBuilder {
  private readonly contentCache = new Map<string, readonly number[]>();
  private readonly markerIds: ReadonlySet<number>;
  private readonly contentCap: number;

  constructor(
    private readonly tokenizer: ContentTokenizer,
    private readonly config: PairRankerConfig,
  ) {
    this.markerIds = new Set([config.sourcePrefixId, config.cand1PrefixId, config.cand2PrefixId]);
    // The most content any row keeps: the source's, or a candidate's with the shortest
    // source row ([CLS, marker, SEP], 3 tokens).
    this.contentCap = Math.max(config.sourceMaxLength - 3, this.candidateBudget(3) - 3);
  }

  get padId(): number {
    return this.config.padTokenId;
  }

  /** Content ids of a (not yet sanitized) text. */
  content(text: string): readonly number[] {
    let ids = this.contentCache.get(text);
    if (ids === undefined) {
      ids = this.tokenizer.encodePlain(sanitizeText(text), this.contentCap).slice(0, this.contentCap);
      for (const id of ids) {
        // The head reads the first occurrence of each marker: a marker id in content would
        // move it. Plain-text encoding makes this impossible unless the vocabulary is broken.
        if (this.markerIds.has(id)) {
          throw new BlenderError('MODEL_INVALID', `the tokenizer produced marker id ${id} from user text`, 'options.ranker');
        }
      }
      this.contentCache.set(text, ids);
    }
    return ids;
  }

  sourceRow(source: string): number[] {
    const { clsTokenId, sepTokenId, sourcePrefixId, sourceMaxLength } = this.config;
    return [clsTokenId, sourcePrefixId, ...this.content(source).slice(0, sourceMaxLength - 3), sepTokenId];
  }

  /** Candidate budget (the whole candidate row, specials included) for a source row length. */
  candidateBudget(sourceRowLength: number): number {
    const { sourceMaxLength, candidateMaxLength } = this.config;
    return Math.floor((sourceMaxLength + 2 * candidateMaxLength - sourceRowLength) / 2);
  }

  candidateRow(candidate: string, which: 1 | 2, budget: number): number[] {
    const { clsTokenId, sepTokenId, cand1PrefixId, cand2PrefixId } = this.config;
    const marker = which === 1 ? cand1PrefixId : cand2PrefixId;
    return [clsTokenId, marker, ...this.content(candidate).slice(0, budget - 3), sepTokenId];
  }

  /** Length of pairRow(pair), without building it. */
  pairLength(pair: PairTexts): number {
    const { sourceMaxLength } = this.config;
    const sourceLength = Math.min(this.content(pair.source).length, sourceMaxLength - 3) + 3;
    const budget = this.candidateBudget(sourceLength);
    const candidateLength = (text: string) => Math.min(this.content(text).length, budget - 3) + 3;
    return sourceLength + candidateLength(pair.cand1) + candidateLength(pair.cand2);
  }

  pairRow(pair: PairTexts): number[] {
    const source = this.sourceRow(pair.source);
    const budget = this.candidateBudget(source.length);
    return [...source, ...this.candidateRow(pair.cand1, 1, budget), ...this.candidateRow(pair.cand2, 2, budget)];
  }
}

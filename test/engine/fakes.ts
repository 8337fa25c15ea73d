/**
 * Test doubles for the engine's seams: a character tokenizer and a model whose logit is a
 * known function of the row, so engine results can be recomputed independently.
 */
import type { ContentTokenizer } from '../../src/engine/encode';
import type { PairModel } from '../../src/engine/pair-scorer';
import type { PairRankerConfig } from '../../src/engine/types';

export const FAKE_CONFIG: PairRankerConfig = {
  sourcePrefixId: 5,
  cand1PrefixId: 6,
  cand2PrefixId: 7,
  clsTokenId: 1,
  sepTokenId: 2,
  padTokenId: 0,
  sourceMaxLength: 16,
  candidateMaxLength: 8,
};

/** One id per character: 10 + (code point mod 90), so never a special or marker id. */
export class CharTokenizer implements ContentTokenizer {
  calls: string[] = [];
  maxTokens: (number | undefined)[] = [];
  encodePlain(text: string, maxTokens?: number): number[] {
    this.calls.push(text);
    this.maxTokens.push(maxTokens);
    return [...text].map((c) => 10 + (c.codePointAt(0)! % 90));
  }
}

/** The fake model's quality of a candidate: a position-weighted sum of its content ids. */
export function fakeQuality(ids: readonly number[]): number {
  return ids.reduce((sum, id, k) => sum + Math.sin(id * 0.7 + k), 0);
}

/** Splits a (padded) row at the first occurrence of each marker, as the real graph does. */
export function splitRow(row: readonly number[], config: PairRankerConfig = FAKE_CONFIG) {
  const s = row.indexOf(config.sourcePrefixId);
  const c1 = row.indexOf(config.cand1PrefixId);
  const c2 = row.indexOf(config.cand2PrefixId);
  let end = row.length;
  while (end > 0 && row[end - 1] === config.padTokenId) end--;
  // content sits between a marker and the [SEP] that precedes the next [CLS]
  return {
    source: row.slice(s + 1, c1 - 2),
    cand1: row.slice(c1 + 1, c2 - 2),
    cand2: row.slice(c2 + 1, end - 1),
  };
}

/**
 * logit = q(c1) - q(c2) + 0.25 * q(source) * q(c1) + 0.1: position bias (M(a,b) != -M(b,a))
 * and a dependence on the source, like the real model.
 */
export function fakeLogit(source: readonly number[], cand1: readonly number[], cand2: readonly number[]): number {
  return fakeQuality(cand1) - fakeQuality(cand2) + 0.25 * fakeQuality(source) * fakeQuality(cand1) + 0.1;
}

export class FakeModel implements PairModel {
  runs: { batch: number; seqLength: number }[] = [];
  /** Called before each run; lets a test abort in the middle of a call. */
  beforeRun: (() => void) | undefined;

  async run(inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLength: number): Promise<Float32Array> {
    this.beforeRun?.();
    this.runs.push({ batch, seqLength });
    const out = new Float32Array(batch);
    for (let r = 0; r < batch; r++) {
      const row = Array.from(inputIds.subarray(r * seqLength, (r + 1) * seqLength), Number);
      const mask = Array.from(attentionMask.subarray(r * seqLength, (r + 1) * seqLength), Number);
      const real = row.slice(0, mask.indexOf(0) === -1 ? row.length : mask.indexOf(0));
      const { source, cand1, cand2 } = splitRow(real);
      out[r] = fakeLogit(source, cand1, cand2);
    }
    return out;
  }
}

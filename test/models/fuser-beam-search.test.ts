// src/engine/beam-search.ts against tools/fuser/generate.py's re-implementation of
// transformers 4.28.1 beam search, on scripted decoders (tools/fuser/search_cases.py):
// 40 random searches with eos at every rank and batches whose entries finish apart.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSearch, logSoftmaxRows } from '../../src/engine/beam-search';

interface SearchCase {
  name: string;
  batch: number;
  num_beams: number;
  vocab: number;
  max_new_tokens: number;
  expected_padded: number[][];
  logits: Record<string, number[]>;
}
const data = JSON.parse(readFileSync(resolve(__dirname, 'fuser-search-cases.json'), 'utf8')) as {
  special_ids: { decoder_start_token_id: number; eos_token_id: number; pad_token_id: number };
  cases: SearchCase[];
};
const ids = data.special_ids;

/** Drives a search on the recorded logits, feeding histories exactly as the runtime does. */
function run(c: SearchCase, numBeams = c.num_beams): number[][] {
  const search = createSearch({
    batchSize: c.batch,
    numBeams,
    maxNewTokens: c.max_new_tokens,
    decoderStartTokenId: ids.decoder_start_token_id,
    eosTokenId: ids.eos_token_id,
    padTokenId: ids.pad_token_id,
  });
  let histories: number[][] = Array.from({ length: search.rows }, () => []);
  let tokens = search.firstTokens();
  while (!search.done) {
    const logits = new Float32Array(search.rows * c.vocab);
    histories.forEach((history, row) => {
      history.push(tokens[row]!);
      const key = `${Math.floor(row / numBeams)}|${history.join(',')}`;
      const values = c.logits[key];
      if (!values) throw new Error(`${c.name}: the search fed a history the reference never fed: ${key}`);
      logits.set(values, row * c.vocab);
    });
    const next = search.step(logits, c.vocab);
    histories = next.sourceRows.map((source) => [...histories[source]!]);
    tokens = next.tokens;
  }
  return search.result();
}

function padded(rows: number[][]): number[][] {
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...Array<number>(width - r.length).fill(ids.pad_token_id)]);
}

describe('beam search vs transformers 4.28.1 (Python re-implementation), scripted decoders', () => {
  it('the cases reach eos-closed hypotheses, unfinished beams and multi-entry batches', () => {
    const rows = data.cases.flatMap((c) => c.expected_padded);
    expect(rows.some((r) => r.slice(1).includes(ids.eos_token_id))).toBe(true);
    expect(rows.some((r) => !r.slice(1).includes(ids.eos_token_id))).toBe(true);
    expect(data.cases.some((c) => c.batch > 1)).toBe(true);
  });

  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(padded(run(c))).toEqual(c.expected_padded);
  });
});

describe('decoding search basics', () => {
  const base = { batchSize: 2, numBeams: 1, maxNewTokens: 3, decoderStartTokenId: 0, eosTokenId: 1, padTokenId: 0 };

  it('greedy feeds pad to a finished row and stops when every row has eos', () => {
    const search = createSearch(base);
    expect(search.firstTokens()).toEqual([0, 0]);
    // vocab 3: row 0 picks eos (1), row 1 picks 2.
    expect(search.step(Float32Array.from([0, 5, 1, 0, 1, 5]), 3).tokens).toEqual([1, 2]);
    expect(search.done).toBe(false);
    expect(search.step(Float32Array.from([0, 1, 5, 0, 5, 1]), 3).tokens).toEqual([0, 1]);
    expect(search.done).toBe(true);
    expect(search.result()).toEqual([
      [0, 1],
      [0, 2, 1],
    ]);
  });

  it('greedy stops at max new tokens without eos', () => {
    const search = createSearch({ ...base, batchSize: 1, maxNewTokens: 2 });
    search.step(Float32Array.from([0, 0, 1]), 3);
    search.step(Float32Array.from([0, 0, 1]), 3);
    expect(search.done).toBe(true);
    expect(search.result()).toEqual([[0, 2, 2]]);
  });

  it('rejects bad sizes', () => {
    expect(() => createSearch({ ...base, numBeams: 0 })).toThrow(RangeError);
    expect(() => createSearch({ ...base, maxNewTokens: 1.5 })).toThrow(RangeError);
  });

  it('logSoftmaxRows normalises each row', () => {
    const out = logSoftmaxRows(Float32Array.from([1, 2, 3, -50, 0, 50]), 2, 3);
    for (const row of [0, 1]) {
      const sum = [0, 1, 2].reduce((s, v) => s + Math.exp(out[row * 3 + v]!), 0);
      expect(sum).toBeCloseTo(1, 6);
    }
    expect(out[2]! - out[1]!).toBeCloseTo(1, 6);
  });
});

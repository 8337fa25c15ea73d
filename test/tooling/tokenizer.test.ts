// The Unigram tokenizer.json written by tools/common/unigram.py must make transformers.js
// produce exactly sentencepiece's ids (fixture: test/fixtures/tooling/tokenizer/, made by
// make_tokenizer_fixture.py; cases.json ids come from sentencepiece, with added tokens
// split first as tools/common/unigram.py's encode_with_added_tokens does).
import { readFileSync } from 'node:fs';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, test } from 'vitest';

const dir = new URL('../fixtures/tooling/tokenizer/', import.meta.url).pathname;
interface Case {
  text: string;
  ids: number[];
  ids_with_specials: number[];
}
const cases = JSON.parse(readFileSync(`${dir}cases.json`, 'utf8')) as Case[];
type Tok = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
let tokenizer: Tok;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  tokenizer = await AutoTokenizer.from_pretrained(dir);
});

describe('Unigram tokenizer.json in transformers.js', () => {
  test('has the structure the tooling promises', () => {
    const json = JSON.parse(readFileSync(`${dir}tokenizer.json`, 'utf8')) as {
      model: { type: string; byte_fallback: boolean; unk_id: number; vocab: [string, number][] };
      normalizer: { normalizers: { type: string; precompiled_charsmap?: string }[] };
      pre_tokenizer: unknown;
    };
    expect(json.model.type).toBe('Unigram');
    expect(json.model.byte_fallback).toBe(false);
    expect(json.model.vocab[json.model.unk_id]![0]).toBe('[UNK]');
    const types = json.normalizer.normalizers.map((n) => n.type);
    expect(types).toEqual(['Replace', 'Precompiled', 'Replace', 'Strip', 'Replace']);
    expect(json.normalizer.normalizers[1]!.precompiled_charsmap!.length).toBeGreaterThan(1000);
    expect(json.pre_tokenizer).toEqual({ type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true });
  });

  test('covers the tricky inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.some((c) => c.ids.includes(3))).toBe(true); // some [UNK]
  });

  test.each(cases.map((c) => [JSON.stringify(c.text), c] as const))('%s: ids equal sentencepiece', (_, c) => {
    expect(tokenizer.encode(c.text, { add_special_tokens: false })).toEqual(c.ids);
    expect(tokenizer.encode(c.text)).toEqual(c.ids_with_specials);
  });
});

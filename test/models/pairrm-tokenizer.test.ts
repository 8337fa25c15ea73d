// transformers.js's tokenizer (from the tiny model folder on disk) must give the golden
// content ids, which tools/pairrm computed with sentencepiece, independently of it.
import { describe, expect, it } from 'vitest';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { goldens, TINY_PAIRRM } from './pairrm-golden';
import { loadPlainTextTokenizer, plainTextIds } from './pairrm-plain-text';

env.allowRemoteModels = false;

const clean = (text: string) => text.replaceAll('[SEP]', ' ');
const texts = goldens.pairs.flatMap((p) => [
  [`${p.name} source`, clean(p.instruction + p.input), p.content_ids.source] as const,
  [`${p.name} candidate1`, clean(p.candidate1), p.content_ids.candidate1] as const,
  [`${p.name} candidate2`, clean(p.candidate2), p.content_ids.candidate2] as const,
]);
const ADDED_STRINGS = ['<|source|>', '<|candidate1|>', '<|candidate2|>', '<|candidate|>', '[MASK]', '[CLS]', '[PAD]', '[UNK]'];

describe('tiny PairRM tokenizer (transformers.js) vs golden content ids', () => {
  const plain = loadPlainTextTokenizer(TINY_PAIRRM);

  it.each(texts)('plain text: %s', (_name, text, want) => {
    expect(plainTextIds(plain, text)).toEqual(want);
  });

  it('text never yields a special or marker id', () => {
    const forbidden = new Set([0, 1, 2, goldens.marker_ids.source, goldens.marker_ids.candidate1, goldens.marker_ids.candidate2]);
    const bad = texts.filter(([, , ids]) => ids.some((id) => forbidden.has(id)));
    expect(bad.map(([name]) => name)).toEqual([]);
    expect(texts.some(([, text]) => text.includes('<|source|>'))).toBe(true);
  });

  it('AutoTokenizer from the folder gives the same ids where the text holds no added-token string', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_PAIRRM, { local_files_only: true });
    const ordinary = texts.filter(([, text]) => !ADDED_STRINGS.some((s) => text.includes(s)));
    expect(ordinary.length).toBeGreaterThan(100);
    for (const [name, text, want] of ordinary) {
      expect(tokenizer.encode(text, { add_special_tokens: false }), name).toEqual(want);
    }
  });
});

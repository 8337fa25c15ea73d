import { describe, expect, it } from 'vitest';
import { createPlainTextTokenizer } from '../../src/runtime/common/tokenizer';
import { tinyRows } from './tiny-model';

// A hand-made DeBERTa-v3-style Unigram tokenizer: specials in the vocabulary (score 0, the
// best a piece can have), markers added after it, Metaspace pre-tokenizer.
const chars = [...'abcdefghijklmnopqrstuvwxyz[]<>|ACDEKLNPSU123'];
const vocab: [string, number][] = [
  ['[PAD]', 0],
  ['[CLS]', 0],
  ['[SEP]', 0],
  ['[UNK]', 0],
  ['▁', -2],
  ['▁hello', -3],
  ['▁world', -3],
  ...chars.map((c): [string, number] => [c, -5]),
];
const special = (id: number, content: string) => ({ id, content, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false });
const tokenizerJson = {
  version: '1.0',
  added_tokens: [
    special(0, '[PAD]'),
    special(1, '[CLS]'),
    special(2, '[SEP]'),
    special(3, '[UNK]'),
    special(vocab.length, '[MASK]'),
    { ...special(vocab.length + 1, '<|source|>'), special: false },
    { ...special(vocab.length + 2, '<|candidate1|>'), special: false },
    { ...special(vocab.length + 3, '<|candidate2|>'), special: false },
  ],
  normalizer: null,
  pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [1], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [2], tokens: ['[SEP]'] } },
  },
  decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
  model: { type: 'Unigram', unk_id: 3, vocab, byte_fallback: false },
};
const tokenizerConfig = { cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' };
const idOf = (piece: string) => vocab.findIndex(([p]) => p === piece);

describe('createPlainTextTokenizer (transformers.js, plain text)', () => {
  const tokenizer = createPlainTextTokenizer(tokenizerJson, tokenizerConfig, 'fixture');

  it('runs normalizer, Metaspace and Unigram, and adds no specials', () => {
    expect(tokenizer.encodePlain('hello world')).toEqual([idOf('▁hello'), idOf('▁world')]);
    expect(tokenizer.encodePlain('')).toEqual([]);
  });

  it('treats marker strings in text as ordinary characters', () => {
    const ids = tokenizer.encodePlain('<|source|>hello');
    const markerIds = [vocab.length + 1, vocab.length + 2, vocab.length + 3];
    expect(ids.some((id) => markerIds.includes(id))).toBe(false);
    expect(ids).toEqual([idOf('▁'), ...[...'<|source|>'].map(idOf), idOf('h'), idOf('e'), idOf('l'), idOf('l'), idOf('o')]);
  });

  it('never produces special ids from text, though they are vocabulary pieces', () => {
    expect(tokenizer.blockedIds).toEqual([0, 1, 2, 3]);
    expect(tokenizerJson.model.vocab[1]).toEqual(['[CLS]', 0]); // the caller's JSON is untouched
    const ids = tokenizer.encodePlain('[CLS][SEP][PAD][UNK][MASK]');
    expect(ids.filter((id) => id <= 2)).toEqual([]);
    expect(ids).toHaveLength(1 + 26); // '▁' + one piece per character
    // characters outside the vocabulary are still the unknown token
    expect(tokenizer.encodePlain('é')).toEqual([idOf('▁'), 3]);
  });

  it('the library itself would match them (why the plain path exists)', async () => {
    const { PreTrainedTokenizer } = await import('@huggingface/transformers');
    const library = new PreTrainedTokenizer(structuredClone(tokenizerJson), tokenizerConfig);
    const ids = library.encode('<|source|>[CLS]', { add_special_tokens: false });
    expect(ids).toContain(vocab.length + 1);
    expect(ids).toContain(1);
  });
});

describe('the first maxTokens ids of long texts, without tokenizing them whole', () => {
  const { tokenizer } = tinyRows();
  const sentence = 'The committee reviewed every proposal twice,\tthen asked  for more detail.\nCosts: 12 345 € ';
  const texts: [string, string][] = [
    ['words, tabs, newlines, double spaces', sentence.repeat(60)],
    ['CJK without spaces', '敏捷的棕色狐狸跳过了懒狗。我们今天学习机器学习和自然语言处理'.repeat(60)],
    ['emoji and ZWJ sequences', '👩‍💻 🇫🇷 ❤️ 😀👍🎉 '.repeat(300)],
    ['mixed scripts, RTL, combining marks', 'Café naïve العربية עברית 中文 ｆｕｌｌ '.repeat(120)],
    ['control characters and NBSP next to spaces', 'a\u0007 b\u00a0 c\u200b d\r\n e '.repeat(400)],
    ['spaces only after a long unbroken run', `${'x'.repeat(3000)} ${'y '.repeat(500)}`],
  ];
  it.each(texts)('%s', (_name, text) => {
    const full = tokenizer.encodePlain(text);
    for (const maxTokens of [10, 61, 200]) {
      const prefix = tokenizer.encodePlain(text, maxTokens);
      expect(prefix.length).toBeGreaterThanOrEqual(Math.min(maxTokens, full.length));
      expect(prefix.slice(0, maxTokens)).toEqual(full.slice(0, maxTokens));
    }
  });

  it('a 1 MB text is bounded in time', () => {
    const started = performance.now();
    expect(tokenizer.encodePlain(sentence.repeat(12_000), 61).length).toBeGreaterThanOrEqual(61);
    expect(tokenizer.encodePlain('敏'.repeat(1_000_000), 61).length).toBeGreaterThanOrEqual(61);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

import { describe, expect, it } from 'vitest';
import { PairRowBuilder, sanitizeText, sourceText } from '../../src/engine/encode';
import { BlenderError } from '../../src/engine/errors';
import { padRows } from '../../src/engine/pad-rows';
import { CharTokenizer, FAKE_CONFIG } from './fakes';

// FAKE_CONFIG: CLS 1, SEP 2, markers 5/6/7, source max 16, candidate max 8 (total 32).
const ids = (text: string) => [...text].map((c) => 10 + (c.codePointAt(0)! % 90));

describe('sanitizeText / sourceText', () => {
  it('replaces every literal [SEP] with one space', () => {
    expect(sanitizeText('a[SEP]b[SEP][SEP]')).toBe('a b  ');
    expect(sanitizeText('[sep] [SEP')).toBe('[sep] [SEP');
  });
  it('joins instruction and input with no separator; no instruction adds nothing', () => {
    expect(sourceText('Do it.', 'x')).toBe('Do it.x');
    expect(sourceText(undefined, 'x')).toBe('x');
  });
});

describe('PairRowBuilder', () => {
  it('builds [CLS, marker] + content + [SEP] for source and both candidates', () => {
    const rows = new PairRowBuilder(new CharTokenizer(), FAKE_CONFIG);
    expect(rows.pairRow({ source: 'ab', cand1: 'c', cand2: '' })).toEqual([1, 5, ...ids('ab'), 2, 1, 6, ...ids('c'), 2, 1, 7, 2]);
  });

  it('truncates the source content to sourceMax - 3 and keeps the marker and [SEP]', () => {
    const rows = new PairRowBuilder(new CharTokenizer(), FAKE_CONFIG);
    const source = rows.sourceRow('abcdefghijklmnopqrstuvwxyz');
    expect(source).toHaveLength(16);
    expect(source).toEqual([1, 5, ...ids('abcdefghijklm'), 2]);
  });

  it('gives candidates floor((sourceMax + 2*candMax - len(source row)) / 2) tokens each', () => {
    const rows = new PairRowBuilder(new CharTokenizer(), FAKE_CONFIG);
    const long = 'x'.repeat(40);
    // full source (16): budget (16 + 16 - 16) / 2 = 8 -> 5 content tokens
    expect(rows.candidateBudget(16)).toBe(8);
    // short source row "a" (4 tokens): budget floor((32 - 4) / 2) = 14 -> 11 content tokens
    const row = rows.pairRow({ source: 'a', cand1: long, cand2: long });
    expect(row).toHaveLength(4 + 14 + 14);
    // odd remainder: source row of 5 -> floor(27 / 2) = 13
    expect(rows.pairRow({ source: 'ab', cand1: long, cand2: 'y' })).toHaveLength(5 + 13 + 4);
    // never more than the total length; pairLength agrees without building the row
    for (const source of ['', 'a', 'abcdefg', long]) {
      for (const cand1 of ['', 'xy', long]) {
        const pair = { source, cand1, cand2: long };
        expect(rows.pairRow(pair).length).toBeLessThanOrEqual(32);
        expect(rows.pairLength(pair)).toBe(rows.pairRow(pair).length);
      }
    }
  });

  it('with the real PairRM lengths (1224/412): budget 412 + floor((1224 - len)/2), rows never past 2048', () => {
    const real = { ...FAKE_CONFIG, sourceMaxLength: 1224, candidateMaxLength: 412 };
    const rows = new PairRowBuilder(new CharTokenizer(), real);
    expect(rows.candidateBudget(1224)).toBe(412);
    expect(rows.candidateBudget(10)).toBe(412 + Math.floor((1224 - 10) / 2));
    const huge = 'y'.repeat(5000);
    for (const source of ['', 'short', huge]) {
      const row = rows.pairRow({ source, cand1: huge, cand2: huge });
      expect(row.length).toBeLessThanOrEqual(2048);
      expect(row.length).toBeGreaterThanOrEqual(2047); // odd remainders lose one token
    }
  });

  it('replaces [SEP] in source and candidates before tokenizing', () => {
    const tokenizer = new CharTokenizer();
    const rows = new PairRowBuilder(tokenizer, FAKE_CONFIG);
    rows.pairRow({ source: 'q[SEP]', cand1: '[SEP]a', cand2: 'b' });
    expect(tokenizer.calls).toEqual(['q ', ' a', 'b']);
  });

  it('tokenizes each distinct text once per builder', () => {
    const tokenizer = new CharTokenizer();
    const rows = new PairRowBuilder(tokenizer, FAKE_CONFIG);
    for (let k = 0; k < 3; k++) {
      rows.pairRow({ source: 's', cand1: 'a', cand2: 'b' });
      rows.pairRow({ source: 's', cand1: 'b', cand2: 'a' });
    }
    expect(tokenizer.calls.sort()).toEqual(['a', 'b', 's']);
  });

  it('asks the tokenizer only for the content a row can keep: max(sourceMax - 3, budget(3) - 3)', () => {
    const tokenizer = new CharTokenizer();
    const rows = new PairRowBuilder(tokenizer, FAKE_CONFIG);
    rows.content('x'.repeat(100));
    // source: 16 - 3 = 13; candidate after the shortest source row: floor((32 - 3) / 2) - 3 = 11
    expect(tokenizer.maxTokens).toEqual([13]);
    expect(rows.content('x'.repeat(100))).toHaveLength(13);
  });

  it('refuses a tokenizer that emits a marker id from text', () => {
    const rows = new PairRowBuilder({ encodePlain: () => [9, 6] }, FAKE_CONFIG);
    expect(() => rows.sourceRow('x')).toThrow(BlenderError);
  });
});

describe('padRows', () => {
  it('right-pads with the pad id and masks padding', () => {
    const { ids, mask, width } = padRows(
      [
        [1, 5, 2],
        [1, 5, 9, 9, 2],
      ],
      0,
    );
    expect(width).toBe(5);
    expect(Array.from(ids, Number)).toEqual([1, 5, 2, 0, 0, 1, 5, 9, 9, 2]);
    expect(Array.from(mask, Number)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('pads to a given width, and an empty row to at least one position', () => {
    expect(Array.from(padRows([[7]], 3, 3).ids, Number)).toEqual([7, 3, 3]);
    const empty = padRows([[]], 3);
    expect([empty.width, Array.from(empty.mask, Number)]).toEqual([1, [0]]);
  });
});

// MixInstruct rows (candidates as {model, text, scores}, id, output, cmp_results) and JSON
// arrays, through the parser the demo and the eval command share.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBatchFile, readJsonLine } from '../../src/datasets/batch-rows';
import { arrayElementLines } from '../../src/datasets/json-array';

const row = {
  id: 7,
  instruction: 'Be brief. ',
  input: 'hi',
  output: 'hello!',
  candidates: [
    { model: 'm1', decoding_method: 'greedy', text: 'hello!', scores: { rouge1: 1, bleu: 0.5 } },
    { model: 'm2', text: 'go away', scores: { rouge1: 0, bleu: 0 } },
  ],
  cmp_results: { 'm1,m2': 'A is better' },
};

describe('MixInstruct rows', () => {
  it('reads id, reference, models, metric scores and judgements', () => {
    const parsed = readJsonLine(JSON.stringify(row), { row: 1, line: 1 });
    expect(parsed).toEqual({
      kind: 'rank',
      row: 1,
      line: 1,
      id: '7',
      instruction: 'Be brief. ',
      input: 'hi',
      reference: 'hello!',
      candidates: ['hello!', 'go away'],
      models: ['m1', 'm2'],
      metrics: [
        { rouge1: 1, bleu: 0.5 },
        { rouge1: 0, bleu: 0 },
      ],
      judgements: [{ a: 'm1', b: 'm2', verdict: 'A is better' }],
    });
  });

  it.each([
    [{ ...row, candidates: [{ model: 'm1', text: 'a' }, { model: 'm2' }] }, 'candidates[1].text', /is missing/],
    [
      {
        ...row,
        candidates: [
          { model: 'm1', text: 'a' },
          { model: 'm1', text: 'b' },
        ],
      },
      'candidates[1].model',
      /repeats "m1"/,
    ],
    [
      {
        ...row,
        candidates: [
          { model: 'm1', text: 'a', scores: { bleu: 'x' } },
          { model: 'm2', text: 'b' },
        ],
      },
      'candidates[0].scores.bleu',
      /finite number/,
    ],
    [{ ...row, candidates: [{ model: 'm1', text: 'a' }, 'b'] }, 'candidates[1]', /must be an object/],
    [{ ...row, cmp_results: { 'm1,m3': 'A is better' } }, 'cmp_results["m1,m3"]', /two of the row's models/],
    [{ ...row, cmp_results: { 'm1,m2': 'A wins' } }, 'cmp_results["m1,m2"]', /one of "A is better"/],
    [{ ...row, id: { x: 1 } }, 'id', /string or a number/],
    [{ ...row, output: 3 }, 'output', /must be a string/],
  ])('names the bad field (%#)', (value, field, message) => {
    const parsed = readJsonLine(JSON.stringify(value), { row: 4, line: 9 });
    expect(parsed).toMatchObject({ row: 4, line: 9, field });
    expect((parsed as { message: string }).message).toMatch(message);
  });

  it('reads a JSON array file, reporting a bad element by the line it starts on', () => {
    const text = `[\n  ${JSON.stringify(row)},\n  {"input": "x",\n   "candidates": [{"model": "a"}, {"model": "b", "text": "t"}]}\n]\n`;
    const batch = parseBatchFile('data.json', text);
    expect(batch.format).toBe('json');
    expect(batch.rows).toHaveLength(1);
    expect(batch.rows[0]).toMatchObject({ row: 1, line: 2, id: '7' });
    expect(batch.bad).toEqual([{ row: 2, line: 3, field: 'candidates[0].text', message: 'is missing' }]);
  });

  it('finds element lines past strings holding brackets, commas and escaped quotes', () => {
    expect(arrayElementLines('[{"a": "x,]\\"["},\n\n 3, "s",\n[1, 2]]')).toEqual([1, 3, 3, 4]);
    expect(arrayElementLines('[]')).toEqual([]);
  });

  it('reads the committed sample: every row, five models, three metrics, judgements on every other row', () => {
    const batch = parseBatchFile('mixinstruct-sample.jsonl', readFileSync('test/fixtures/datasets/mixinstruct-sample.jsonl', 'utf8'));
    expect(batch.bad).toEqual([]);
    expect(batch.rows).toHaveLength(40);
    expect(batch.models).toEqual(['strong-13b', 'steady-7b', 'mixed-7b', 'weak-3b', 'terse-1b']);
    const ranked = batch.rows.filter((r) => r.kind === 'rank');
    expect(ranked.every((r) => r.metrics?.every((m) => Object.keys(m).join() === 'rouge1,rouge2,bleu'))).toBe(true);
    expect(ranked.filter((r) => r.judgements?.length === 10)).toHaveLength(20);
  });
});

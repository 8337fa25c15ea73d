import { describe, expect, it } from 'vitest';
import { describeBadRow, parseBatchFile } from '../../src/datasets/batch-rows';

describe('parseBatchFile: JSON Lines', () => {
  it('reads ranking rows with candidate lists; models are named by position', () => {
    const text = [
      '{"instruction": "be kind", "input": "hello", "candidates": ["hi", "go away", "bye"]}',
      '',
      '{"input": "how are you?", "candidates": ["fine", "bad"]}',
    ].join('\n');
    const batch = parseBatchFile('rows.jsonl', text);
    expect(batch).toMatchObject({ format: 'jsonl', kind: 'rank', named: false, bad: [] });
    expect(batch.models).toEqual(['candidate 1', 'candidate 2', 'candidate 3']);
    expect(batch.rows).toEqual([
      {
        kind: 'rank',
        row: 1,
        line: 1,
        instruction: 'be kind',
        input: 'hello',
        candidates: ['hi', 'go away', 'bye'],
        models: ['candidate 1', 'candidate 2', 'candidate 3'],
      },
      { kind: 'rank', row: 2, line: 3, instruction: '', input: 'how are you?', candidates: ['fine', 'bad'], models: ['candidate 1', 'candidate 2'] },
    ]);
  });

  it('names models by the keys of a candidates object', () => {
    const batch = parseBatchFile(
      'x.jsonl',
      '{"input": "q", "candidates": {"gpt": "a", "llama": "b"}}\n{"input": "r", "candidates": {"llama": "c", "vicuna": "d"}}',
    );
    expect(batch.named).toBe(true);
    expect(batch.models).toEqual(['gpt', 'llama', 'vicuna']);
    expect(batch.rows[1]).toMatchObject({ candidates: ['c', 'd'], models: ['llama', 'vicuna'] });
  });

  it('reads A/B pairs, as {a, b} or as the CLI writes them {candidateA, candidateB}', () => {
    const batch = parseBatchFile('pairs.jsonl', '{"input": "q", "a": "x", "b": "y"}\n{"input": "r", "candidateA": "u", "candidateB": "v", "instruction": "i"}');
    expect(batch.kind).toBe('pair');
    expect(batch.models).toEqual(['a', 'b']);
    expect(batch.rows).toEqual([
      { kind: 'pair', row: 1, line: 1, instruction: '', input: 'q', a: 'x', b: 'y' },
      { kind: 'pair', row: 2, line: 2, instruction: 'i', input: 'r', a: 'u', b: 'v' },
    ]);
  });

  it('names the row, line and field of every bad row and keeps the good ones', () => {
    const text = [
      '{"input": "ok", "candidates": ["a", "b"]}',
      '{"input": "broken", "candidates": ["a", "b"]',
      '[1, 2]',
      '{"candidates": ["a", "b"]}',
      '{"input": 7, "candidates": ["a", "b"]}',
      '{"input": "q", "candidates": ["a", 3]}',
      '{"input": "q", "candidates": {"gpt": "a", "llama": null}}',
      '{"input": "q", "candidates": ["only one"]}',
      '{"input": "q", "instruction": 1, "candidates": ["a", "b"]}',
      '{"input": "q", "a": "x"}',
      '{"input": "q"}',
      '{"input": "also ok", "candidates": ["c", "d"]}',
    ].join('\n');
    const batch = parseBatchFile('rows.jsonl', text);
    expect(batch.rows.map((row) => row.input)).toEqual(['ok', 'also ok']);
    expect(batch.bad.map(describeBadRow)).toEqual([
      expect.stringMatching(/^row 2 \(line 2\): is not valid JSON \(.+\)$/),
      'row 3 (line 3): is not a JSON object',
      'row 4 (line 4), field "input": is missing',
      'row 5 (line 5), field "input": must be a string',
      'row 6 (line 6), field "candidates[1]": must be a string',
      'row 7 (line 7), field "candidates.llama": must be a string',
      'row 8 (line 8), field "candidates": has 1; ranking needs at least 2',
      'row 9 (line 9), field "instruction": must be a string',
      'row 10 (line 10), field "b": is missing (an A/B pair needs a and b)',
      'row 11 (line 11), field "candidates": is missing (or give an A/B pair: a, b)',
    ]);
  });

  it('keeps one kind per file: rows of the other kind are bad rows', () => {
    const batch = parseBatchFile('x.jsonl', '{"input": "q", "a": "x", "b": "y"}\n{"input": "q", "candidates": ["a", "b"]}');
    expect(batch.kind).toBe('pair');
    expect(batch.rows).toHaveLength(1);
    expect(describeBadRow(batch.bad[0]!)).toBe(
      "row 2 (line 2): is a ranking row (candidates), but the file's first row is an A/B pair (a, b); a file holds one kind",
    );
  });

  it('refuses an empty file', () => {
    expect(() => parseBatchFile('empty.jsonl', ' \n')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'file' }));
  });
});

describe('parseBatchFile: CSV', () => {
  it('reads instruction, input, then one column per model named by the header', () => {
    const text = 'instruction,input,gpt-4,llama\n"be brief","hello, you","hi, ""friend""","yo\nthere"\n,q,x,y\n';
    const batch = parseBatchFile('runs.csv', text);
    expect(batch).toMatchObject({ format: 'csv', kind: 'rank', named: true, models: ['gpt-4', 'llama'], bad: [] });
    expect(batch.rows).toEqual([
      { kind: 'rank', row: 1, line: 2, instruction: 'be brief', input: 'hello, you', candidates: ['hi, "friend"', 'yo\nthere'], models: ['gpt-4', 'llama'] },
      { kind: 'rank', row: 2, line: 4, instruction: '', input: 'q', candidates: ['x', 'y'], models: ['gpt-4', 'llama'] },
    ]);
  });

  it('an empty cell means that model has no answer in that row', () => {
    const batch = parseBatchFile('runs.csv', 'input,m1,m2,m3\nq,a,,c\n');
    expect(batch.rows[0]).toMatchObject({ candidates: ['a', 'c'], models: ['m1', 'm3'] });
    expect(batch.models).toEqual(['m1', 'm2', 'm3']);
  });

  it('reads A/B pairs from columns input, a, b (any order, any case)', () => {
    const batch = parseBatchFile('ab.csv', 'B,Input,A\ny,q,x\n');
    expect(batch.kind).toBe('pair');
    expect(batch.rows).toEqual([{ kind: 'pair', row: 1, line: 2, instruction: '', input: 'q', a: 'x', b: 'y' }]);
  });

  it('names bad rows and runs the rest', () => {
    const text = 'input,m1,m2\nok,a,b\ntoo,few\nq,only,\n"fine",c,d\n';
    const batch = parseBatchFile('runs.csv', text);
    expect(batch.rows.map((row) => row.input)).toEqual(['ok', 'fine']);
    expect(batch.bad.map(describeBadRow)).toEqual([
      'row 2 (line 3): has 2 fields, the header has 3',
      'row 3 (line 4): has 1 non-empty candidate cell(s); ranking needs at least 2',
    ]);
  });

  it('names the empty side of an A/B pair', () => {
    const batch = parseBatchFile('ab.csv', 'input,a,b\nq,,y\n');
    expect(batch.bad.map(describeBadRow)).toEqual(['row 1 (line 2), field "a": is empty']);
  });

  it('reports an unclosed quote as a bad row and keeps the rows before it', () => {
    const batch = parseBatchFile('runs.csv', 'input,m1,m2\nq,a,b\nr,"open,b\n');
    expect(batch.rows).toHaveLength(1);
    expect(batch.bad.map(describeBadRow)).toEqual([
      'row 2 (line 3): line 3: a quoted field opens here and never closes; the rest of the file could not be read',
    ]);
  });

  it('refuses a header without an input column or with fewer than two candidate columns', () => {
    expect(() => parseBatchFile('x.csv', 'question,m1,m2\nq,a,b\n')).toThrow(/no "input" column: question, m1, m2/);
    expect(() => parseBatchFile('x.csv', 'instruction,input,m1\ni,q,a\n')).toThrow(/names 1 candidate column\(s\); ranking needs at least 2/);
  });

  it('tells CSV from JSON Lines by content when the name says nothing', () => {
    expect(parseBatchFile('pasted', '{"input": "q", "a": "x", "b": "y"}').format).toBe('jsonl');
    expect(parseBatchFile('pasted', 'input,a,b\nq,x,y\n').format).toBe('csv');
  });
});

describe('the e2e batch fixtures', () => {
  it('runs.csv: quoted commas, quotes and a line break, an empty cell, one bad row', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../e2e/fixtures/demo/runs.csv', import.meta.url), 'utf8');
    const batch = parseBatchFile('runs.csv', text);
    expect(batch.models).toEqual(['gpt-4', 'llama, 13b', 'vicuna']);
    expect(batch.rows.map((row) => [row.row, row.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 5],
      [5, 7],
    ]);
    expect(batch.rows[0]).toMatchObject({
      instruction: 'Answer briefly.',
      input: 'hello, how are you!',
      candidates: ['hi! I am fine, thanks!', 'I\'m "fine", thanks', 'bye!'],
    });
    expect(batch.rows[1]).toMatchObject({ candidates: ['I love you too!', 'I hate you!\r\nReally.', "Thanks! You're a good guy!"] });
    expect(batch.rows[2]).toMatchObject({ models: ['gpt-4', 'vicuna'] });
    expect(batch.bad.map(describeBadRow)).toEqual(['row 4 (line 6): has 3 fields, the header has 5']);
  });

  it('pairs.jsonl: three pairs and one without b', async () => {
    const { readFile } = await import('node:fs/promises');
    const batch = parseBatchFile('pairs.jsonl', await readFile(new URL('../../e2e/fixtures/demo/pairs.jsonl', import.meta.url), 'utf8'));
    expect(batch.kind).toBe('pair');
    expect(batch.rows).toHaveLength(3);
    expect(batch.bad.map(describeBadRow)).toEqual(['row 3 (line 3), field "b": is missing (an A/B pair needs a and b)']);
  });
});

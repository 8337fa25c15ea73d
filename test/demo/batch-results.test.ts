import { describe, expect, it } from 'vitest';
import { parseBatchFile } from '../../src/datasets/batch-rows';
import { inRowOrder, type Outcome } from '../../src/demo/batch/batch-outcomes';
import { resultsCsv, resultsJsonl } from '../../src/demo/batch/batch-output';
import { summarise } from '../../src/demo/batch/batch-summary';
import { parseCsv } from '../../src/datasets/csv';

const rankFile = parseBatchFile('runs.csv', 'input,gpt,llama,vicuna\nq1,a,b,c\nq2,d,,f\nq3,g,h,i\nbad,row\n');
const [r1, r2, r3] = rankFile.rows as Extract<(typeof rankFile.rows)[number], { kind: 'rank' }>[];
const rankOutcomes: Outcome[] = inRowOrder(
  [
    { kind: 'rank', row: r1!, ranks: [2, 1, 3], scores: [0, 1, -1] },
    { kind: 'rank', row: r2!, ranks: [1, 2], scores: [0.5, -0.5] },
    { kind: 'failed', place: { row: 3, line: 4 }, field: 'input', message: 'too long', row: r3! },
  ],
  rankFile.bad,
);

describe('summarise', () => {
  it('win rate and mean rank per model column, over the rows where it answered', () => {
    const summary = summarise('rank', rankFile.models, rankOutcomes, 'full');
    expect(summary).toMatchObject({ kind: 'rank', ran: 2, failed: 2, ties: 0, meanLogit: null });
    expect(summary.columns).toEqual([
      { model: 'gpt', rows: 2, wins: 1, winRate: 0.5, meanRank: 1.5 },
      { model: 'llama', rows: 1, wins: 1, winRate: 1, meanRank: 1 },
      { model: 'vicuna', rows: 2, wins: 0, winRate: 0, meanRank: 2.5 },
    ]);
  });

  it('with the bubble strategy only wins count (ranks below the best are unknown)', () => {
    const summary = summarise('rank', rankFile.models, rankOutcomes, 'bubble');
    expect(summary.columns.map((column) => column.meanRank)).toEqual([null, null, null]);
    expect(summary.columns.map((column) => column.wins)).toEqual([1, 1, 0]);
  });

  it('A/B pairs: wins of each side, ties and the mean logit', () => {
    const pairs = parseBatchFile('ab.jsonl', ['x', 'y', 'z', 'w'].map((b) => JSON.stringify({ input: 'q', a: 'a', b })).join('\n'));
    const logits = [1.5, -0.5, 0, 2];
    const outcomes: Outcome[] = pairs.rows.map((row, i) => ({ kind: 'pair', row: row as Extract<typeof row, { kind: 'pair' }>, logit: logits[i]! }));
    const summary = summarise('pair', pairs.models, outcomes, 'full');
    expect(summary).toMatchObject({ kind: 'pair', ran: 4, failed: 0, ties: 1, meanLogit: 0.75 });
    expect(summary.columns).toEqual([
      { model: 'a', rows: 4, wins: 2, winRate: 0.5, meanRank: null },
      { model: 'b', rows: 4, wins: 1, winRate: 0.25, meanRank: null },
    ]);
  });
});

describe('results files', () => {
  it('JSON Lines: one object per input row in order, errors included', () => {
    const lines = resultsJsonl(rankOutcomes, true)
      .trimEnd()
      .split('\n')
      .map((line): unknown => JSON.parse(line));
    expect(lines).toEqual([
      {
        row: 1,
        instruction: '',
        input: 'q1',
        candidates: ['a', 'b', 'c'],
        models: ['gpt', 'llama', 'vicuna'],
        ranks: [2, 1, 3],
        scores: [0, 1, -1],
        best: ['llama'],
      },
      { row: 2, instruction: '', input: 'q2', candidates: ['d', 'f'], models: ['gpt', 'vicuna'], ranks: [1, 2], scores: [0.5, -0.5], best: ['gpt'] },
      { row: 3, line: 4, instruction: '', input: 'q3', error: 'too long', field: 'input' },
      { row: 4, line: 5, error: 'has 2 fields, the header has 4', field: null },
    ]);
  });

  it('CSV: the input columns, each model rank and score, the best, and errors; quoted where needed', () => {
    const withComma = parseBatchFile('x.csv', 'input,"model, big",small\n"q, ""quoted""","a\nb",c\n');
    const row = withComma.rows[0] as Extract<(typeof withComma.rows)[number], { kind: 'rank' }>;
    const text = resultsCsv('rank', withComma.models, [{ kind: 'rank', row, ranks: [1, 2], scores: [0.25, -0.25] }]);
    expect(text).toBe(
      'row,instruction,input,"model, big",small,"rank: model, big",rank: small,"score: model, big",score: small,best,error\r\n' +
        '1,,"q, ""quoted""","a\nb",c,1,2,0.25,-0.25,"model, big",\r\n',
    );
    const records = parseCsv(resultsCsv('rank', rankFile.models, rankOutcomes)).records.map((record) => record.fields);
    expect(records[0]).toEqual([
      'row',
      'instruction',
      'input',
      'gpt',
      'llama',
      'vicuna',
      'rank: gpt',
      'rank: llama',
      'rank: vicuna',
      'score: gpt',
      'score: llama',
      'score: vicuna',
      'best',
      'error',
    ]);
    expect(records[2]).toEqual(['2', '', 'q2', 'd', '', 'f', '1', '', '2', '0.5', '', '-0.5', 'gpt', '']);
    expect(records[4]).toEqual(['4', '', '', '', '', '', '', '', '', '', '', '', '', 'has 2 fields, the header has 4']);
  });

  it('CSV for A/B pairs: logit and winner per row', () => {
    const pairs = parseBatchFile('ab.csv', 'input,a,b\nq,x,y\nr,,y\n');
    const outcomes = inRowOrder([{ kind: 'pair', row: pairs.rows[0] as Extract<(typeof pairs.rows)[number], { kind: 'pair' }>, logit: -1.25 }], pairs.bad);
    expect(resultsCsv('pair', pairs.models, outcomes)).toBe('row,instruction,input,a,b,logit,winner,error\r\n1,,q,x,y,-1.25,b,\r\n2,,,,,,,a: is empty\r\n');
  });
});

// The pure parts of `eval`: Spearman with ties, the summary, the preference pairs, and the
// crash-safe JSON Lines file (torn tails). Expected values are worked out by hand or by a
// second, differently written computation here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RankRow } from '../../src/datasets/batch-rows';
import { parseEvalArgs } from '../../src/node/eval/eval-args';
import { JsonlAppender, readCompleteLines } from '../../src/node/eval/jsonl-file';
import { preferencePairs } from '../../src/node/eval/preference-pairs';
import { createProgress } from '../../src/node/eval/progress';
import { rankRows, type EvalRanker, type EvalRecord } from '../../src/node/eval/rank-rows';
import { BlenderError } from '../../src/engine/errors';
import { openResults, openSideFile } from '../../src/node/eval/results-log';
import { spearman } from '../../src/node/eval/spearman';
import { SummaryAccumulator } from '../../src/node/eval/summary';

const dir = mkdtempSync(join(tmpdir(), 'eval-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spearman', () => {
  it('is 1 / -1 for monotone lists and matches the no-ties formula 1 - 6Σd²/(n(n²-1))', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks x: 1 2 3 4 5, y: 2 1 4 3 5 -> Σd² = 4 -> 1 - 24/120 = 0.8
    expect(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(0.8, 12);
  });

  it('uses average ranks for ties (Pearson of 1.5,1.5,3 against 1,2,3 = √3/2)', () => {
    expect(spearman([5, 5, 9], [1, 2, 3])).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

const row = (metrics: Record<string, number>[] | undefined, judgements?: RankRow['judgements']): RankRow => ({
  kind: 'rank',
  row: 1,
  line: 1,
  instruction: 'I: ',
  input: 'q',
  candidates: ['a', 'b', 'c'],
  models: ['x', 'y', 'z'],
  ...(metrics ? { metrics } : {}),
  ...(judgements ? { judgements } : {}),
});
const record = (ranks: number[], scores: number[] | null = null): EvalRecord => ({
  row: 1,
  line: 1,
  id: 'r1',
  models: ['x', 'y', 'z'],
  ranks,
  scores,
  ranking: [],
});

describe('SummaryAccumulator', () => {
  it('tallies wins, mean ranks, metric figures and judgement agreement', () => {
    const summary = new SummaryAccumulator('full');
    // Row 1: PairRM y > x > z; metric m: x 0.9, y 0.5, z 0.1 -> pick y (0.5), best 0.9, rho = 0.5.
    summary.add(
      row(
        [{ m: 0.9 }, { m: 0.5 }, { m: 0.1 }],
        [
          { a: 'x', b: 'y', verdict: 'A is better' }, // PairRM says y: disagrees
          { a: 'y', b: 'z', verdict: 'A is better' }, // agrees
          { a: 'x', b: 'z', verdict: 'Same good' }, // not scored
        ],
      ),
      record([2, 1, 3]),
    );
    // Row 2: x and y tie first; pick x (first); metric m: x 0.2, y 0.8, z 0.8 -> not the best.
    summary.add(row([{ m: 0.2 }, { m: 0.8 }, { m: 0.8 }], [{ a: 'x', b: 'y', verdict: 'B is better' }]), record([1, 1, 3]));
    summary.reject();
    const result = summary.finish({ pairs: 12, rows: 2, seconds: 4 });
    expect(result).toMatchObject({ strategy: 'full', rows: 2, rejected: 1, pairsRun: 12, rowsRun: 2, rowsPerSecond: 0.5, pairsPerSecond: 3 });
    expect(result.models).toEqual([
      { model: 'x', rows: 2, wins: 1, winRate: 0.5, meanRank: 1.5 },
      { model: 'y', rows: 2, wins: 2, winRate: 1, meanRank: 1 },
      { model: 'z', rows: 2, wins: 0, winRate: 0, meanRank: 3 },
    ]);
    const [m] = result.metrics;
    expect(m!.rows).toBe(2);
    expect(m!.oracleRate).toBe(0);
    expect(m!.selected).toBeCloseTo((0.5 + 0.2) / 2, 12);
    expect(m!.upperBound).toBeCloseTo((0.9 + 0.8) / 2, 12);
    // Row 2: -ranks (-1,-1,-3) vs (0.2,0.8,0.8): average ranks (2.5,2.5,1) vs (1,2.5,2.5) -> rho = -0.5.
    expect(m!.spearman).toBeCloseTo((0.5 + -0.5) / 2, 12);
    expect(m!.spearmanRows).toBe(2);
    // Decisive: (x>y) disagree 0, (y>z) agree 1, (row 2: y>x) PairRM tie 0.5 -> 1.5 / 3.
    expect(result.judgements).toEqual({ decisive: 3, agreement: 0.5, ties: 1 });
  });

  it('gives no mean rank or correlation for strategies that only find the best', () => {
    const summary = new SummaryAccumulator('bubble');
    summary.add(row([{ m: 1 }, { m: 0 }, { m: 0.5 }]), record([1, 2, 2]));
    const result = summary.finish({ pairs: 4, rows: 1, seconds: 0 });
    expect(result.models[0]).toMatchObject({ wins: 1, meanRank: null });
    expect(result.metrics[0]).toMatchObject({ spearman: null, oracleRate: 1, selected: 1, upperBound: 1 });
    expect(result.judgements).toBeNull();
  });
});

describe('preferencePairs', () => {
  const ranked = record([2, 1, 3], [0.5, 2, -1]);
  it('best-worst: the pick against the last, with the score margin', () => {
    expect(preferencePairs(row(undefined), ranked, 'best-worst')).toEqual([
      {
        row: 1,
        id: 'r1',
        prompt: 'I: q',
        chosen: 'b',
        rejected: 'c',
        margin: 3,
        chosen_model: 'y',
        rejected_model: 'z',
        chosen_rank: 1,
        rejected_rank: 3,
      },
    ]);
  });

  it('all and adjacent pairs, a minimum margin, no pair between equal ranks or equal texts', () => {
    const pairs = (mode: 'all' | 'adjacent', min?: number) => preferencePairs(row(undefined), ranked, mode, min).map((p) => `${p.chosen}>${p.rejected}`);
    expect(pairs('all')).toEqual(['b>a', 'b>c', 'a>c']);
    expect(pairs('adjacent')).toEqual(['b>a', 'a>c']);
    expect(pairs('all', 1.5)).toEqual(['b>a', 'b>c', 'a>c']);
    expect(pairs('all', 1.6)).toEqual(['b>c']);
    expect(preferencePairs(row(undefined), record([1, 1, 1], [0, 0, 0]), 'all')).toEqual([]);
    const same = { ...row(undefined), candidates: ['a', 'a', 'c'] };
    expect(preferencePairs(same, record([1, 2, 3]), 'all').map((p) => `${p.chosen}>${p.rejected}:${String(p.margin)}`)).toEqual(['a>c:null', 'a>c:null']);
  });
});

describe('crash-safe JSON Lines', () => {
  it('finds a torn tail (no newline, or a partial line ending in one) and cuts it on resume', () => {
    const path = join(dir, 'out.jsonl');
    const line = (r: number) => JSON.stringify({ row: r, line: r, id: null, models: ['a', 'b'], ranks: [1, 2], scores: null, ranking: ['a', 'b'] });
    writeFileSync(path, `${line(1)}\n${line(2)}\n{"row": 3, "ra`);
    expect(readCompleteLines(path)).toMatchObject({ values: [{ row: 1 }, { row: 2 }], torn: '{"row": 3, "ra' });
    writeFileSync(path, `${line(1)}\n{"row": 2, "ra\n`);
    expect(readCompleteLines(path)).toMatchObject({ values: [{ row: 1 }], torn: '{"row": 2, "ra' });
    writeFileSync(path, `{"row": 2, "ra\n${line(1)}\n`);
    expect(() => readCompleteLines(path)).toThrow(/line 1 is not JSON/);

    writeFileSync(path, `${line(1)}\n${line(4)}\n{"row": 5`);
    const { appender, point } = openResults(path, true);
    expect([...point.done.keys()]).toEqual([1, 4]);
    expect(point.lastRow).toBe(4);
    appender.append([JSON.parse(line(5))]);
    appender.close();
    expect(readFileSync(path, 'utf8')).toBe(`${line(1)}\n${line(4)}\n${line(5)}\n`);
  });

  it('cuts a side file after its last line of a row up to the resume point', () => {
    const path = join(dir, 'rejects.jsonl');
    writeFileSync(path, '{"row":2}\n{"row":3}\n{"row":7}\n{"row":9');
    openSideFile(path, true, 3).close();
    expect(readFileSync(path, 'utf8')).toBe('{"row":2}\n{"row":3}\n');
    const fresh = new JsonlAppender(path, null);
    fresh.append([{ row: 1 }]);
    fresh.close();
    expect(readFileSync(path, 'utf8')).toBe('{"row":1}\n');
  });
});

describe('progress without a terminal', () => {
  it('writes a plain line at most every few seconds and one at the end, with speeds of this process only', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress({ total: 100, tty: false, write: (text) => lines.push(text), everySeconds: 10, now: () => clock });
    clock = 5_000;
    progress.update(30, 100, 10); // 20 rows resumed, 10 ranked: no line yet (5 s < 10 s)
    clock = 10_000;
    progress.update(40, 200, 20);
    clock = 12_000;
    progress.update(50, 250, 30); // 2 s after the last line: none
    clock = 20_000;
    progress.stop();
    expect(lines).toEqual([
      'eval: 40/100 rows (40%), 2.0 rows/s, 20.0 pairs/s, ETA 30 s\n',
      // 30 rows in 20 s = 1.5 rows/s; 50 left -> 33 s
      'eval: 50/100 rows (50%), 1.5 rows/s, 12.5 pairs/s, ETA 33 s\n',
    ]);
  });
});

describe('parseEvalArgs', () => {
  it('reads the options, with the rejects file beside --out', () => {
    const args = parseEvalArgs([
      'd.jsonl',
      '--ranker',
      'm',
      '--strategy',
      'adaptive',
      '--budget',
      '12',
      '--models',
      'a, b',
      '--out',
      'r.jsonl',
      '--resume',
      '--matrix',
    ]);
    expect(args).toMatchObject({
      file: 'd.jsonl',
      ranker: 'm',
      strategy: 'adaptive',
      budget: 12,
      models: ['a', 'b'],
      resume: true,
      matrix: true,
      rejects: 'r.rejects.jsonl',
    });
  });

  it.each([
    [['d.jsonl'], /--ranker is required/],
    [['--ranker', 'm'], /needs an input FILE/],
    [['d.jsonl', 'e.jsonl', '--ranker', 'm'], /one input file only/],
    [['d.jsonl', '--ranker', 'm', '--resume'], /--resume needs --out/],
    [['d.jsonl', '--ranker', 'm', '--strategy', 'sort', '--min-margin', '1'], /--min-margin needs scores/],
    [['d.jsonl', '--ranker', 'm', '--strategy', 'bubble', '--matrix'], /--matrix needs --strategy full or adaptive/],
    [['d.jsonl', '--ranker', 'm', '--budget', '4'], /--budget is for --strategy adaptive/],
    [['d.jsonl', '--ranker', 'm', '--strategy', 'best'], /--strategy must be one of full, bubble/],
    [['d.jsonl', '--ranker', 'm', '--dtype', 'int4'], /--dtype must be/],
    [['d.jsonl', '--ranker', 'm', '--chunk', '0'], /--chunk needs a positive integer/],
    [['d.jsonl', '--ranker', 'm', '--models', 'a'], /--models needs at least two/],
    [['d.jsonl', '--ranker', 'm', '--frobnicate'], /unknown flag --frobnicate/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseEvalArgs(argv)).toThrow(message);
  });
});

describe('rankRows', () => {
  // Scores are text lengths; a candidate "boom" makes the engine refuse the call, as it refuses bad text.
  const calls: number[] = [];
  const ranker = {
    async rank(_inputs: readonly string[], candidates: readonly (readonly string[])[]) {
      calls.push(candidates.length);
      const at = candidates.findIndex((list) => list.includes('boom'));
      if (at >= 0) throw new BlenderError('INVALID_ARGUMENT', 'boom is refused', `candidates[${at}][${candidates[at]!.indexOf('boom')}]`);
      const scores = candidates.map((list) => list.map((text) => text.length));
      return { ranks: scores.map((s) => s.map((v) => 1 + s.filter((w) => w > v).length)), scores, matrices: [] };
    },
  } as unknown as EvalRanker;
  const rows = (texts: string[][]) =>
    texts.map((candidates, i) => ({ ...row(undefined), row: i + 1, line: i + 1, candidates, models: candidates.map((_, j) => `m${j}`) }));

  it('retries a refused chunk row by row: only the bad row fails, named by its field', async () => {
    calls.length = 0;
    const result = await rankRows(
      ranker,
      rows([
        ['aa', 'a'],
        ['x', 'boom'],
        ['b', 'bbb'],
      ]),
      { strategy: 'full', matrix: false },
    );
    expect(calls).toEqual([3, 1, 1, 1]);
    expect(result.records.map((r) => [r.row, r.ranks, r.ranking])).toEqual([
      [1, [1, 2], ['m0', 'm1']],
      [3, [2, 1], ['m1', 'm0']],
    ]);
    expect(result.failed).toEqual([{ row: 2, line: 2, field: 'candidates[1]', message: 'boom is refused' }]);
  });

  it('a refused row alone (chunks of one) fails as a row, not as the run', async () => {
    const result = await rankRows(ranker, rows([['boom', 'a']]), { strategy: 'full', matrix: false });
    expect(result).toEqual({ records: [], failed: [{ row: 1, line: 1, field: 'candidates[0]', message: 'boom is refused' }] });
  });
});

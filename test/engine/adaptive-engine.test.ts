import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import type { ComputeProgress, RankOptions } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel, fakeLogit } from './fakes';

const ids = (text: string) => [...text].map((c) => 10 + (c.codePointAt(0)! % 90));
/** The fake model's logit for short texts (no truncation), computed without the engine. */
const logit = (source: string, c1: string, c2: string) => Math.fround(fakeLogit(ids(source), ids(c1), ids(c2)));
const ranksOf = (scores: readonly number[]) => scores.map((s) => 1 + scores.filter((o) => o > s).length);
const passesOf = (model: FakeModel) => model.runs.reduce((sum, run) => sum + run.batch, 0);

const inputs = ['hello', 'why?', 'ok'];
const candidates = [['hi', 'go', 'yo!', 'hey', 'sup', 'hm', 'ah', 'oh no'], ['no', 'because', 'eh', 'so', 'it is'], ['fine']];

function engine() {
  const model = new FakeModel();
  return { model, engine: new RankingEngine(model, new CharTokenizer(), FAKE_CONFIG) };
}

describe('rank with strategy "adaptive" (RankingEngine, fake model)', () => {
  it('with a budget of every pair, ranks as full does; each pair runs once per order', async () => {
    const { engine: e, model } = engine();
    const ranks = await e.rank(inputs, candidates, { strategy: 'adaptive', budget: 8 * 7 });
    // The fake logit gives M(a,b) − M(b,a) = (2 + q(source)/4)(q(a) − q(b)): consistent preferences.
    const expected = inputs.map((input, k) => {
      const list = candidates[k]!;
      return ranksOf(list.map((ci, i) => list.reduce((sum, cj, j) => (i === j ? sum : sum + logit(input, ci, cj) - logit(input, cj, ci)), 0)));
    });
    expect(ranks).toEqual(expected);
    expect(passesOf(model)).toBe(8 * 7 + 5 * 4);
    expect(await e.rank(inputs, candidates)).toEqual(expected);
  });

  it('spends the default budget, 4N per input, and never more; orders "one" halves a match', async () => {
    const { engine: e, model } = engine();
    const ranks = await e.rank(inputs, candidates, { strategy: 'adaptive' });
    expect(ranks.map((row) => row.length)).toEqual([8, 5, 1]);
    expect(ranks[2]).toEqual([1]);
    expect(passesOf(model)).toBe(4 * 8 + Math.min(4 * 5, 5 * 4));
    const one = engine();
    await one.engine.rank(inputs, candidates, { strategy: 'adaptive', budget: 9, orders: 'one' });
    expect(passesOf(one.model)).toBe(9 + 9);
  });

  it('returnScores gives the strengths; returnMatrix adds standard errors and the logits run (NaN elsewhere)', async () => {
    const { engine: e } = engine();
    const options = { strategy: 'adaptive' as const, budget: 12 };
    const scores = await e.rank(inputs, candidates, { ...options, returnScores: true });
    const details = await e.rank(inputs, candidates, { ...options, returnMatrix: true });
    expect(details.scores).toEqual(scores);
    expect(details.ranks).toEqual(scores.map(ranksOf));
    expect(details.standardErrors!.map((row) => row.length)).toEqual([8, 5, 1]);
    details.standardErrors!.flat().forEach((se) => expect(se).toBeGreaterThanOrEqual(0));
    // Every strength sums to zero per input (the prior centres the fit).
    scores.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9));
    details.matrices.forEach((matrix, k) => {
      let run = 0;
      matrix.forEach((row, i) =>
        row.forEach((value, j) => {
          if (i === j) return expect(value).toBe(0);
          if (Number.isNaN(value)) return;
          run++;
          expect(value).toBeCloseTo(logit(inputs[k]!, candidates[k]![i]!, candidates[k]![j]!), 6);
        }),
      );
      const n = candidates[k]!.length;
      expect(run).toBe(Math.min(12, n * (n - 1)));
    });
  });

  it('onProgress: passes against the usable budget, and the ranking after each round; the last is the result', async () => {
    const { engine: e, model } = engine();
    const events: ComputeProgress[] = [];
    const runsAtRanking: number[] = [];
    const ranks = await e.rank(inputs, candidates, {
      strategy: 'adaptive',
      budget: 14,
      batchSize: 1000, // one model run per round
      onProgress: (event) => {
        events.push(event);
        if (event.ranking) runsAtRanking.push(model.runs.length);
      },
    });
    const total = 14 + Math.min(14, 5 * 4);
    expect(events.every((event) => event.total === total && event.stage === 'rank')).toBe(true);
    const rankings = events.filter((event) => event.ranking !== undefined);
    expect(rankings.length).toBe(model.runs.length);
    expect(runsAtRanking).toEqual(rankings.map((_, round) => round + 1));
    const last = events.at(-1)!;
    expect(last.done).toBe(total);
    expect(last.ranking).toEqual(ranks);
    // done never goes back, and a ranking event repeats the count of the run before it.
    events.forEach((event, k) => k > 0 && expect(event.done).toBeGreaterThanOrEqual(events[k - 1]!.done));
    expect(passesOf(model)).toBe(total);
  });

  it('an abort mid-run rejects with ABORTED and the engine still ranks', async () => {
    const { engine: e, model } = engine();
    const controller = new AbortController();
    let runs = 0;
    model.beforeRun = () => {
      if (++runs === 2) controller.abort();
    };
    const aborted = await e.rank(inputs, candidates, { strategy: 'adaptive', batchSize: 1000, signal: controller.signal }).catch((error: unknown) => error);
    expect(aborted).toMatchObject({ code: 'ABORTED', argument: 'options.signal' });
    expect(runs).toBe(2); // the round in flight finished, no further round started
    model.beforeRun = undefined;
    const again = await e.rank(inputs, candidates, { strategy: 'adaptive' });
    expect(again).toEqual(await engine().engine.rank(inputs, candidates, { strategy: 'adaptive' }));
  });

  const bad: [string, RankOptions, string][] = [
    ['budget with full', { budget: 10 }, 'options.budget'],
    ['budget with bubble', { strategy: 'bubble', budget: 10 }, 'options.budget'],
    ['budget with sort', { strategy: 'sort', budget: 10 }, 'options.budget'],
    ['budget 0', { strategy: 'adaptive', budget: 0 }, 'options.budget'],
    ['budget 2.5', { strategy: 'adaptive', budget: 2.5 }, 'options.budget'],
    ['budget "8"', { strategy: 'adaptive', budget: '8' as unknown as number }, 'options.budget'],
    ['budget 1 with both orders', { strategy: 'adaptive', budget: 1 }, 'options.budget'],
    ['aggregate with adaptive', { strategy: 'adaptive', aggregate: 'max_wins' }, 'options.aggregate'],
    ['seed with adaptive', { strategy: 'adaptive', seed: 1 }, 'options.seed'],
    ['topK with adaptive', { strategy: 'adaptive', topK: 2 }, 'options.topK'],
    ['orders "three"', { strategy: 'adaptive', orders: 'three' as 'one' }, 'options.orders'],
    ['returnScores with returnMatrix', { strategy: 'adaptive', returnScores: true, returnMatrix: true }, 'options.returnScores'],
  ];
  it.each(bad)('rejects %s with INVALID_OPTION naming it, running nothing', async (_name, options, argument) => {
    const { engine: e, model } = engine();
    expect(await e.rank(inputs, candidates, options).catch((error: unknown) => error)).toMatchObject({ code: 'INVALID_OPTION', argument });
    expect(model.runs).toHaveLength(0);
  });

  it('budget 1 is fine with orders "one"', async () => {
    const { engine: e, model } = engine();
    await e.rank(inputs, candidates, { strategy: 'adaptive', budget: 1, orders: 'one' });
    expect(passesOf(model)).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_PAIR_CACHE_SIZE, PairCache } from '../../src/engine/pair-cache';
import { RankingEngine } from '../../src/engine/engine';
import { isBlenderError } from '../../src/engine/errors';
import type { ComputeProgress } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel, fakeLogit } from './fakes';

const ids = (text: string) => [...text.replaceAll('[SEP]', ' ')].map((c) => 10 + (c.codePointAt(0)! % 90));
/** The fake model's logit for short texts (no truncation), computed without the engine. */
const logit = (source: string, c1: string, c2: string) => Math.fround(fakeLogit(ids(source), ids(c1), ids(c2)));

const inputs = ['hello', 'why?'];
const candidates = [
  ['hi', 'go', 'yo!', 'hey'],
  ['no', 'because', 'eh'],
];

/** `pairCache`: the engine's cache capacity (0 = off, for tests that count runs across calls). */
function engine(pairCache = DEFAULT_PAIR_CACHE_SIZE) {
  const model = new FakeModel();
  return { model, engine: new RankingEngine(model, new CharTokenizer(), FAKE_CONFIG, undefined, new PairCache(pairCache)) };
}

describe('RankingEngine on a fake model', () => {
  it('rank (full, max_logits) equals the reference formulas over independently computed logits', async () => {
    const { engine: e, model } = engine();
    const scores = await e.rank(inputs, candidates, { returnScores: true });
    const expected = inputs.map((input, k) => {
      const list = candidates[k]!;
      const n = list.length;
      return list.map((ci, i) => list.reduce((sum, cj, j) => (i === j ? sum : sum + logit(input, ci, cj) - logit(input, cj, ci)), 0) / n);
    });
    scores.forEach((row, k) => row.forEach((s, i) => expect(s).toBeCloseTo(expected[k]![i]!, 5)));
    expect(model.runs.reduce((sum, r) => sum + r.batch, 0)).toBe(4 * 3 + 3 * 2);
    const ranks = await e.rank(inputs, candidates);
    expect(ranks).toEqual(expected.map((row) => row.map((s) => 1 + row.filter((o) => o > s).length)));
  });

  it("returnMatrix: every ordered pair's logit, and the same scores and ranks as plain rank, in the same passes", async () => {
    const { engine: e, model } = engine();
    const details = await e.rank(inputs, candidates, { returnMatrix: true });
    const passes = model.runs.reduce((sum, r) => sum + r.batch, 0);
    expect(passes).toBe(4 * 3 + 3 * 2);
    details.matrices.forEach((matrix, k) =>
      matrix.forEach((row, i) =>
        row.forEach((value, j) => {
          const list = candidates[k]!;
          if (i === j) expect(value).toBe(0);
          else expect(value).toBeCloseTo(logit(inputs[k]!, list[i]!, list[j]!), 6);
        }),
      ),
    );
    expect(details.scores).toEqual(await e.rank(inputs, candidates, { returnScores: true }));
    expect(details.ranks).toEqual(await e.rank(inputs, candidates));
  });

  it('returnMatrix is refused with bubble (no matrix) and with returnScores (already included)', async () => {
    const { engine: e } = engine();
    const bubble = await e.rank(inputs, candidates, { strategy: 'bubble', returnMatrix: true }).catch((error: unknown) => error);
    expect(bubble).toMatchObject({ code: 'INVALID_OPTION', argument: 'options.returnMatrix' });
    const both = await e.rank(inputs, candidates, { returnScores: true, returnMatrix: true }).catch((error: unknown) => error);
    expect(both).toMatchObject({ code: 'INVALID_OPTION', argument: 'options.returnScores' });
  });

  it('instructions are prepended to the input with no separator', async () => {
    const { engine: e } = engine();
    const withInstruction = await e.rank(['llo'], [['a', 'b']], { instructions: ['he'], returnScores: true });
    const joined = await e.rank(['hello'], [['a', 'b']], { returnScores: true });
    expect(withInstruction).toEqual(joined);
  });

  it('compare: default = M(A,B) - M(B,A); [A,B] = M(A,B); [B,A] = M(B,A) not negated; booleans = value > 0', async () => {
    const { engine: e } = engine();
    const a = ['hi', 'because'];
    const b = ['go', 'no'];
    const both = await e.compare(inputs, a, b, { returnLogits: true });
    const ab = await e.compare(inputs, a, b, { mode: '[A,B]', returnLogits: true });
    const ba = await e.compare(inputs, a, b, { mode: '[B,A]', returnLogits: true });
    inputs.forEach((input, i) => {
      expect(ab[i]).toBeCloseTo(logit(input, a[i]!, b[i]!), 6);
      expect(ba[i]).toBeCloseTo(logit(input, b[i]!, a[i]!), 6);
      expect(both[i]).toBeCloseTo(ab[i]! - ba[i]!, 6);
    });
    expect(await e.compare(inputs, a, b)).toEqual(both.map((v) => v > 0));
  });

  it('rankWithRef: reward = M(c, ref) - M(ref, c), the reference itself gets 0', async () => {
    const { engine: e } = engine();
    const rewards = await e.rankWithRef(inputs, candidates, { returnScores: true });
    // longest: 'yo!' (first of the 3-char ones) and 'because'
    const refs = ['yo!', 'because'];
    rewards.forEach((row, k) =>
      row.forEach((r, j) => {
        const c = candidates[k]![j]!;
        const expected = c === refs[k] ? 0 : logit(inputs[k]!, c, refs[k]!) - logit(inputs[k]!, refs[k]!, c);
        expect(r).toBeCloseTo(expected, 5);
      }),
    );
    expect(rewards[0]![2]).toBe(0);
    const explicit = await e.rankWithRef(inputs, candidates, { ref: ['zz', 'zz'], returnScores: true });
    expect(explicit[0]![0]).toBeCloseTo(logit('hello', 'hi', 'zz') - logit('hello', 'zz', 'hi'), 5);
  });

  it('results do not depend on batch size or token budget', async () => {
    const { engine: e } = engine();
    const reference = await e.rank(inputs, candidates, { returnScores: true, batchSize: 1 });
    for (const options of [{ batchSize: 3 }, { batchSize: 8 }, { batchSize: 8, tokenBudget: 40 }]) {
      expect(await e.rank(inputs, candidates, { returnScores: true, ...options })).toEqual(reference);
    }
  });

  it('reports progress per batch and ends at total', async () => {
    const { engine: e, model } = engine();
    const events: ComputeProgress[] = [];
    await e.rank(inputs, candidates, { batchSize: 5, onProgress: (p) => events.push({ ...p }) });
    expect(events).toHaveLength(model.runs.length);
    expect(events.at(-1)).toEqual({ stage: 'rank', done: 18, total: 18 });
    events.forEach((event, k) => expect(event.done).toBe(model.runs.slice(0, k + 1).reduce((s, r) => s + r.batch, 0)));
  });

  it('a progress callback that returns a rejected promise (a dead Comlink proxy) does not break the call', async () => {
    const { engine: e } = engine();
    const rejections: unknown[] = [];
    const onUnhandled = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const onProgress = (() => Promise.reject(new Error('proxy released'))) as unknown as (p: ComputeProgress) => void;
    expect(await e.rank(inputs, candidates, { onProgress })).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(rejections).toEqual([]);
  });

  it('an abort between batches rejects with ABORTED and leaves the engine usable', async () => {
    const { engine: e, model } = engine();
    const controller = new AbortController();
    let runs = 0;
    model.beforeRun = () => {
      if (++runs === 2) controller.abort();
    };
    const error = await e.rank(inputs, candidates, { batchSize: 2, signal: controller.signal }).catch((x: unknown) => x);
    expect(isBlenderError(error) && error.code).toBe('ABORTED');
    expect(runs).toBe(2);
    model.beforeRun = undefined;
    expect(await e.rank(inputs, candidates, { batchSize: 2 })).toHaveLength(2);
    const already = await e.compare(['x'], ['a'], ['b'], { signal: AbortSignal.abort() }).catch((x: unknown) => x);
    expect(isBlenderError(already) && already.code).toBe('ABORTED');
  });

  it('bubble: same seed same winner; the winner gets 1, the others 2', async () => {
    const { engine: e } = engine();
    const first = await e.rank(inputs, candidates, { strategy: 'bubble', seed: 11 });
    expect(await e.rank(inputs, candidates, { strategy: 'bubble', seed: 11 })).toEqual(first);
    first.forEach((row) => {
      expect(row.filter((r) => r === 1)).toHaveLength(1);
      expect(row.filter((r) => r === 2)).toHaveLength(row.length - 1);
    });
  });

  it('identical candidates run once per distinct row and tie exactly, whatever the batching', async () => {
    // Without the pair cache, so that each batching really runs.
    const { engine: e, model } = engine(0);
    const events: ComputeProgress[] = [];
    for (const batchSize of [1, 2, 5]) {
      const scores = await e.rank(['q'], [['same', 'other', 'same']], { returnScores: true, batchSize, onProgress: (p) => events.push(p) });
      expect(scores[0]![0]).toBe(scores[0]![2]);
      expect(events.at(-1)).toEqual({ stage: 'rank', done: 6, total: 6 });
    }
    // 6 ordered pairs, of which (same, same) and the two copies of each cross pair coincide: 3 distinct rows
    expect(model.runs.reduce((sum, r) => sum + r.batch, 0)).toBe(3 * 3);
    const [same, other] = (await e.rank(['q'], [['same', 'other', 'same']], { returnScores: true }))[0]!;
    expect(await e.rank(['q'], [['same', 'other', 'same']])).toEqual([same! > other! ? [1, 3, 1] : [2, 1, 2]]);
  });

  it('N = 1 ranks 1 with no pass; empty strings are valid text; no inputs gives []', async () => {
    const { engine: e, model } = engine();
    expect(await e.rank(['x'], [['only']])).toEqual([[1]]);
    expect(model.runs).toHaveLength(0);
    expect(await e.rank([''], [['', 'a']])).toHaveLength(1);
    expect(await e.rank([], [])).toEqual([]);
  });
});

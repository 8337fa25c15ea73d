import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { isBlenderError } from '../../src/engine/errors';
import type { ComputeProgress, RankOptions } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel } from './fakes';
import { log2ceil } from './strategy-scorers';

// With the fake model, M(a,b) − M(b,a) = (q(a) − q(b)) (2 + 0.25 q(source)): transitive per
// input, so tournament and sort must agree with full (checked against full, not hard-coded).
const inputs = ['hello', 'why?', 'x'];
const candidates = [
  ['hi', 'go', 'yo!', 'hey', 'bye', 'ok then', 'sure'],
  ['no', 'because', 'eh', 'so', 'as it is'],
  ['one', 'two'],
];

function engine() {
  const model = new FakeModel();
  return { model, engine: new RankingEngine(model, new CharTokenizer(), FAKE_CONFIG) };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; argument: string | undefined }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBlenderError(error)) throw new Error(`expected a BlenderError, got ${String(error)}`);
  return { code: error.code, argument: error.argument };
}

/** Ranks with the options and records every progress event. */
async function rankWithProgress(e: RankingEngine, options: RankOptions) {
  const events: ComputeProgress[] = [];
  const ranks = await e.rank(inputs, candidates, { ...options, onProgress: (p) => events.push(p) });
  return { ranks, events, passes: events.at(-1)!.done };
}

describe('tournament and sort through RankingEngine', () => {
  it("sort gives full's ranks; tournament gives full's top k in order", async () => {
    const { engine: e } = engine();
    const full = await e.rank(inputs, candidates);
    full.forEach((ranks) => expect(new Set(ranks).size).toBe(ranks.length)); // no ties: a strict order to compare with
    expect(await e.rank(inputs, candidates, { strategy: 'sort' })).toEqual(full);
    expect(await e.rank(inputs, candidates, { strategy: 'tournament' })).toEqual(full.map((ranks) => ranks.map((r) => Math.min(r, 2))));
    expect(await e.rank(inputs, candidates, { strategy: 'tournament', topK: 2 })).toEqual(full.map((ranks) => ranks.map((r) => Math.min(r, 3))));
  });

  it('progress: total starts at the bound, the last event has done === total = passes made, within the bounds', async () => {
    const counts = candidates.map((list) => list.length);
    for (const [options, bound] of [
      [{ strategy: 'tournament', topK: 2 }, counts.reduce((sum, n) => sum + 2 * (n - 1 + (2 - 1) * log2ceil(n)), 0)],
      [{ strategy: 'sort' }, counts.reduce((sum, n) => sum + 2 * n * log2ceil(n), 0)],
    ] as const) {
      const { events, passes } = await rankWithProgress(engine().engine, options);
      const last = events.at(-1)!;
      expect(last.done).toBe(last.total);
      expect(passes).toBeLessThanOrEqual(bound);
      expect(events[0]!.total).toBeLessThanOrEqual(bound);
      expect(events[0]!.total).toBeGreaterThanOrEqual(passes);
      events.slice(1).forEach((event, k) => expect(event.done).toBeGreaterThanOrEqual(events[k]!.done));
    }
  });

  it("orders 'one' runs half the passes of 'both' (tournament k = 1: N−1 against 2(N−1))", async () => {
    const both = await rankWithProgress(engine().engine, { strategy: 'tournament' });
    const one = await rankWithProgress(engine().engine, { strategy: 'tournament', orders: 'one' });
    const matches = candidates.reduce((sum, list) => sum + list.length - 1, 0);
    expect(both.passes).toBe(2 * matches);
    expect(one.passes).toBe(matches);
    const sortOne = await rankWithProgress(engine().engine, { strategy: 'sort', orders: 'one' });
    expect(sortOne.passes).toBeLessThanOrEqual(candidates.reduce((sum, list) => sum + list.length * log2ceil(list.length), 0));
  });

  it('an abort in the middle rejects with ABORTED and the engine still ranks afterwards', async () => {
    for (const strategy of ['tournament', 'sort'] as const) {
      const { engine: e, model } = engine();
      const expected = await engine().engine.rank(inputs, candidates, { strategy });
      const controller = new AbortController();
      let runs = 0;
      model.beforeRun = () => {
        if (++runs === 3) controller.abort();
      };
      const error = await rejection(e.rank(inputs, candidates, { strategy, batchSize: 1, signal: controller.signal }));
      expect(error.code).toBe('ABORTED');
      expect(runs).toBeGreaterThanOrEqual(3);
      model.beforeRun = undefined;
      expect(await e.rank(inputs, candidates, { strategy })).toEqual(expected);
    }
  });

  it('bad options are INVALID_OPTION naming the option', async () => {
    const { engine: e } = engine();
    const cases: [RankOptions | Record<string, unknown>, string][] = [
      [{ strategy: 'tournament', topK: 0 }, 'options.topK'],
      [{ strategy: 'tournament', topK: 1.5 }, 'options.topK'],
      [{ strategy: 'tournament', topK: '2' }, 'options.topK'],
      [{ strategy: 'tournament', topK: 3 }, 'options.topK'], // candidates[2] has 2
      [{ strategy: 'sort', topK: 1 }, 'options.topK'],
      [{ strategy: 'full', topK: 1 }, 'options.topK'],
      [{ strategy: 'tournament', orders: 'two' }, 'options.orders'],
      [{ strategy: 'full', orders: 'one' }, 'options.orders'],
      [{ orders: 'both' }, 'options.orders'],
      [{ strategy: 'bubble', orders: 'one' }, 'options.orders'],
      [{ strategy: 'tournament', returnScores: true }, 'options.returnScores'],
      [{ strategy: 'sort', returnMatrix: true }, 'options.returnMatrix'],
      [{ strategy: 'sort', aggregate: 'max_wins' }, 'options.aggregate'],
      [{ strategy: 'tournament', seed: 1 }, 'options.seed'],
      [{ strategy: 'knockout' }, 'options.strategy'],
    ];
    for (const [options, argument] of cases) {
      expect(await rejection(e.rank(inputs, candidates, options as RankOptions)), JSON.stringify(options)).toEqual({ code: 'INVALID_OPTION', argument });
    }
    // topK = N is allowed: the whole order by tournament, which then equals sort's.
    expect(await e.rank(['x'], [['a', 'bb', 'ccc']], { strategy: 'tournament', topK: 3 })).toEqual(
      await e.rank(['x'], [['a', 'bb', 'ccc']], { strategy: 'sort' }),
    );
  });

  it('one candidate: rank 1 and no pass', async () => {
    const { engine: e, model } = engine();
    expect(await e.rank(['a', 'b'], [['only'], ['alone']], { strategy: 'tournament' })).toEqual([[1], [1]]);
    expect(await e.rank(['a', 'b'], [['only'], ['alone']], { strategy: 'sort', orders: 'one' })).toEqual([[1], [1]]);
    expect(model.runs).toHaveLength(0);
  });
});

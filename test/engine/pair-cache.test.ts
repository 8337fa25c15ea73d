// The engine's exact pair cache (src/engine/pair-cache.ts): a pair row already run by this
// engine is not run again, and what comes from the cache is bit for bit what a run gives.
import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { PairCache, rowKey } from '../../src/engine/pair-cache';
import type { ComputeProgress } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel, fakeLogit } from './fakes';

function engine(capacity: number) {
  const model = new FakeModel();
  const cache = new PairCache(capacity);
  return { model, cache, engine: new RankingEngine(model, new CharTokenizer(), FAKE_CONFIG, undefined, cache) };
}

/** Rows the fake model ran so far. */
const rowsRun = (model: FakeModel) => model.runs.reduce((sum, run) => sum + run.batch, 0);

const ids = (text: string) => [...text].map((c) => 10 + (c.codePointAt(0)! % 90));
/** The fake model's float32 logit for short texts (no truncation), computed without the engine. */
const logit = (source: string, c1: string, c2: string) => Math.fround(fakeLogit(ids(source), ids(c1), ids(c2)));

const eight = ['a1', 'b22', 'c3', 'd4!', 'e', 'f66', 'g7', 'h8?'];

describe('the pair cache', () => {
  it('gives bit-identical logits to an engine without a cache, from the cache as from a run', async () => {
    const cached = engine(1000);
    const plain = engine(0);
    const first = await cached.engine.rank(['q'], [eight], { returnMatrix: true, batchSize: 3 });
    const again = await cached.engine.rank(['q'], [eight], { returnMatrix: true, batchSize: 5 });
    const reference = await plain.engine.rank(['q'], [eight], { returnMatrix: true });
    expect(again.matrices).toEqual(reference.matrices);
    expect(first.matrices).toEqual(reference.matrices);
    eight.forEach((a, i) =>
      eight.forEach((b, j) => {
        if (i !== j) expect(Object.is(again.matrices[0]![i]![j], logit('q', a, b))).toBe(true);
      }),
    );
  });

  it('runs nothing for a repeated call and counts its lookups as hits', async () => {
    const { model, cache, engine: e } = engine(1000);
    const pairs = eight.length * (eight.length - 1);
    await e.rank(['q'], [eight]);
    expect(rowsRun(model)).toBe(pairs);
    expect(cache.info()).toEqual({ size: pairs, capacity: 1000, hits: 0, misses: pairs });
    const events: ComputeProgress[] = [];
    await e.rank(['q'], [eight], { onProgress: (p) => events.push(p) });
    expect(rowsRun(model)).toBe(pairs);
    expect(cache.info()).toEqual({ size: pairs, capacity: 1000, hits: pairs, misses: pairs });
    // Every pair of the call is counted, the cached ones at once.
    expect(events).toEqual([{ stage: 'rank', done: pairs, total: pairs }]);
  });

  it('re-ranking after adding a ninth candidate to eight runs only its 2 x 8 new ordered pairs', async () => {
    const { model, cache, engine: e } = engine(1000);
    await e.rank(['q'], [eight]);
    const before = rowsRun(model);
    const events: ComputeProgress[] = [];
    const nine = [...eight, 'i9.'];
    await e.rank(['q'], [nine], { onProgress: (p) => events.push(p) });
    // The new candidate against each of the 8 others, in both orders.
    const newPairs = 2 * eight.length;
    expect(rowsRun(model) - before).toBe(newPairs);
    expect(cache.info().hits).toBe(eight.length * (eight.length - 1));
    expect(events.at(-1)).toEqual({ stage: 'rank', done: 9 * 8, total: 9 * 8 });
    expect(events[0]).toEqual({ stage: 'rank', done: 8 * 7, total: 9 * 8 });
  });

  it('keeps a pair across methods: compare after rank runs nothing', async () => {
    const { model, engine: e } = engine(1000);
    await e.rank(['q'], [['x', 'y']]);
    const before = rowsRun(model);
    expect(await e.compare(['q'], ['x'], ['y'], { returnLogits: true })).toEqual([logit('q', 'x', 'y') - logit('q', 'y', 'x')]);
    expect(rowsRun(model)).toBe(before);
  });

  it('evicts the least recently used entry at capacity', async () => {
    const { model, cache, engine: e } = engine(3);
    const one = (candidate: string) => e.compare(['q'], [candidate], ['z'], { mode: '[A,B]', returnLogits: true });
    for (const candidate of ['p1', 'p2', 'p3']) await one(candidate);
    expect(rowsRun(model)).toBe(3);
    await one('p1'); // a hit: p1 is now the most recent, p2 the least
    expect(rowsRun(model)).toBe(3);
    await one('p4'); // evicts p2
    expect(cache.info()).toEqual({ size: 3, capacity: 3, hits: 1, misses: 4 });
    await one('p1');
    await one('p3');
    expect(rowsRun(model)).toBe(4);
    await one('p2'); // was evicted: runs again
    expect(rowsRun(model)).toBe(5);
    expect(await one('p2')).toEqual([logit('q', 'p2', 'z')]);
    expect(cache.info()).toEqual({ size: 3, capacity: 3, hits: 4, misses: 5 });
  });

  it('capacity 0 turns it off: every call runs, nothing is held or counted', async () => {
    const { model, cache, engine: e } = engine(0);
    await e.rank(['q'], [['x', 'y', 'z']]);
    await e.rank(['q'], [['x', 'y', 'z']]);
    expect(rowsRun(model)).toBe(2 * 6);
    expect(cache.info()).toEqual({ size: 0, capacity: 0, hits: 0, misses: 0 });
  });

  it('keys rows by their exact ids: different id sequences never share a key', () => {
    const rows = [[], [0], [1], [0, 1], [1, 0], [32767], [32768], [1, 0, 0], [65535], [65536], [1, 32768], [0x3fffffff], [32768, 0], [1, 1]];
    const keys = new Set(rows.map(rowKey));
    expect(keys.size).toBe(rows.length);
    expect(rowKey([5, 40000, 7])).toBe(rowKey([5, 40000, 7]));
    expect(() => rowKey([2 ** 30])).toThrow(RangeError);
  });
});

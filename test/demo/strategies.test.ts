// The demo's strategy choices and its account of what a rank cost (src/demo/strategies.ts).
import { describe, expect, it } from 'vitest';
import type { BrowserInfo } from '../../src/client/index';
import { describeUsage, measurePairs, ordersEveryCandidate, STRATEGY_CHOICES, strategyHint } from '../../src/demo/strategies';

describe('the demo strategies', () => {
  it('offers the five strategies, each with its own one-line hint', () => {
    expect(STRATEGY_CHOICES.map((choice) => choice.value)).toEqual(['full', 'bubble', 'tournament', 'sort', 'adaptive']);
    const hints = STRATEGY_CHOICES.map((choice) => strategyHint(choice.value));
    expect(new Set(hints).size).toBe(5);
    hints.forEach((hint) => expect(hint).toMatch(/^[A-Z][^\n]*\.$/));
    expect(['full', 'bubble', 'tournament', 'sort', 'adaptive'].filter(ordersEveryCandidate)).toEqual(['full', 'sort', 'adaptive']);
  });

  it('counts the pairs a call ran and those the cache answered, from info() before and after', async () => {
    let passes = 10;
    let hits = 3;
    const blender = { info: async () => ({ ranker: { passes, pairCache: { size: 0, capacity: 9, hits, misses: 0 } } }) as unknown as BrowserInfo };
    const { result, usage } = await measurePairs(blender, async () => {
      passes += 16;
      hits += 56;
      return 'ranked';
    });
    expect(result).toBe('ranked');
    expect(usage).toEqual({ passes: 16, cached: 56 });
    // 9 candidates: a full rank is 9 x 8 ordered pairs.
    expect(describeUsage(9, usage)).toBe(`16 run (full rank: ${9 * 8}), 56 from the cache`);
    expect(describeUsage(2, { passes: 1, cached: 0 })).toBe(`1 run (full rank: ${2 * 1})`);
  });
});

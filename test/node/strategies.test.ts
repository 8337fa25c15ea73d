// Tournament and sort on the bundled synth ranker through the Node entry: the pass bounds
// hold on a real model, and on clear examples their best is full's best.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type ComputeProgress, type NodeBlender, type RankOptions } from '../../src/node';

let blender: NodeBlender;
beforeAll(async () => {
  blender = await createBlender({ ranker: 'public/models/synth-pairrm', fuser: null, device: 'cpu' });
});
afterAll(() => blender.dispose());

const inputs = ['hello, how are you!', 'What is 7 - 5?', 'Say thank you politely.'];
const candidates = [
  ['get out!', 'hi! I am fine, thanks!', 'bye!'],
  ['7 - 5 = 12', '7 - 5 = 2', 'It is 35.', 'The answer is 2.', 'I like trains.', '7 - 5 = 75'],
  ['Thank you so much, I really appreciate it!', 'whatever', 'thx', 'Go away.', 'Thanks.'],
];
const log2ceil = (n: number) => (n <= 1 ? 0 : Math.ceil(Math.log2(n) - 1e-12));

async function passesOf(options: Omit<RankOptions, 'returnMatrix'>): Promise<{ ranks: number[][]; passes: number }> {
  const events: ComputeProgress[] = [];
  const ranks = await blender.rank(inputs, candidates, { ...options, onProgress: (p) => events.push(p) });
  const last = events.at(-1)!;
  expect(last.done).toBe(last.total);
  return { ranks, passes: last.done };
}

describe('tournament and sort on synth-pairrm', () => {
  it("stay within their pass bounds and find full's best", async () => {
    const full = await blender.rank(inputs, candidates);
    const best = full.map((ranks) => ranks.indexOf(1));
    full.forEach((ranks) => expect(ranks.filter((r) => r === 1)).toHaveLength(1)); // a clear winner each

    for (const orders of ['both', 'one'] as const) {
      const perMatch = orders === 'both' ? 2 : 1;
      const tournament = await passesOf({ strategy: 'tournament', orders });
      expect(tournament.passes).toBe(candidates.reduce((sum, list) => sum + perMatch * (list.length - 1), 0));
      const top2 = await passesOf({ strategy: 'tournament', topK: 2, orders });
      expect(top2.passes).toBeLessThanOrEqual(candidates.reduce((sum, list) => sum + perMatch * (list.length - 1 + log2ceil(list.length)), 0));
      const sort = await passesOf({ strategy: 'sort', orders });
      expect(sort.passes).toBeLessThanOrEqual(candidates.reduce((sum, list) => sum + perMatch * list.length * log2ceil(list.length), 0));
      if (orders === 'both') {
        expect(tournament.ranks.map((ranks) => ranks.indexOf(1))).toEqual(best);
        expect(top2.ranks.map((ranks) => ranks.indexOf(1))).toEqual(best);
        expect(sort.ranks.map((ranks) => ranks.indexOf(1))).toEqual(best);
      }
    }
  });
});

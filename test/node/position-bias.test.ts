// Measures the position bias `orders: 'one'` adds, on the bundled synth ranker and its
// held-out preference pairs (test/fixtures/synth/heldout.jsonl). Prints the figures quoted
// in src/engine/README.md and docs/reference.md §7:
//   npx vitest run test/node/position-bias.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type NodeBlender, type RankOptions } from '../../src/node';
import { mulberry32, randomPermutation } from '../../src/engine/seeded-random';
import { readHeldout } from '../models/synth-heldout';

const rows = readHeldout();

let blender: NodeBlender;
beforeAll(async () => {
  blender = await createBlender({ ranker: 'public/models/synth-pairrm', fuser: null, device: 'cpu' });
});
afterAll(() => blender.dispose());

const percent = (count: number, total: number) => `${((100 * count) / total).toFixed(1)}% (${count}/${total})`;

describe("position bias of orders: 'one'", () => {
  it('pairs: the one-order winner differs from the both-order winner only where the two orders contradict', async () => {
    // Every held-out pair in both placements: first = better, then first = worse.
    const firsts = rows.flatMap((r) => [r.better, r.worse]);
    const seconds = rows.flatMap((r) => [r.worse, r.better]);
    const inputs = rows.flatMap((r) => [r.input, r.input]);
    const instructions = rows.flatMap((r) => [r.instruction, r.instruction]);
    const ab = await blender.compare(inputs, firsts, seconds, { instructions, mode: '[A,B]', returnLogits: true });
    const ba = await blender.compare(inputs, firsts, seconds, { instructions, mode: '[B,A]', returnLogits: true });
    let differ = 0;
    let contradict = 0;
    let oneRight = 0;
    let bothRight = 0;
    ab.forEach((m, k) => {
      const oneFirst = m >= 0; // a tie goes to the first (the lower index in a strategy)
      const bothFirst = m - ba[k]! >= 0;
      const firstIsBetter = k % 2 === 0;
      if (oneFirst !== bothFirst) differ++;
      if (m > 0 === ba[k]! > 0) contradict++; // both orders prefer the same position
      if (oneFirst === firstIsBetter) oneRight++;
      if (bothFirst === firstIsBetter) bothRight++;
      // Where M(a,b) and M(b,a) agree on a winner, both ways of playing pick it.
      if (m > 0 !== ba[k]! > 0) expect(oneFirst).toBe(bothFirst);
    });
    console.log(
      `pairs (${ab.length} placements): one-order winner differs from both-order ${percent(differ, ab.length)}; ` +
        `orders contradict ${percent(contradict, ab.length)}; right: one ${percent(oneRight, ab.length)}, both ${percent(bothRight, ab.length)}`,
    );
    expect(differ).toBeLessThanOrEqual(contradict);
  });

  it('rankings: tournament top-1 and sort order, one against both (and against full)', async () => {
    // Each held-out row with three answers from other rows of its family (off-topic), shuffled.
    const random = mulberry32(7);
    const inputs = rows.map((r) => r.input);
    const instructions = rows.map((r) => r.instruction);
    const candidates = rows.map((r, i) => {
      const family = rows.filter((o, j) => o.family === r.family && j !== i);
      const pool = [r.better, r.worse, family[i % family.length]!.better, family[(i + 7) % family.length]!.worse, family[(i + 13) % family.length]!.better];
      return randomPermutation(pool.length, random).map((k) => pool[k]!);
    });
    const rank = (options: Omit<RankOptions, 'returnMatrix'>) => blender.rank(inputs, candidates, { instructions, ...options });
    const full = await rank({});
    const [tBoth, tOne, sBoth, sOne] = await Promise.all([
      rank({ strategy: 'tournament', orders: 'both' }),
      rank({ strategy: 'tournament', orders: 'one' }),
      rank({ strategy: 'sort', orders: 'both' }),
      rank({ strategy: 'sort', orders: 'one' }),
    ]);
    const top = (ranks: number[][]) => ranks.map((r) => r.indexOf(1));
    const same = (a: number[], b: number[]) => a.filter((x, i) => x === b[i]).length;
    const n = rows.length;
    let discordant = 0;
    let pairs = 0;
    sBoth.forEach((ranks, i) =>
      ranks.forEach((ra, a) =>
        ranks.forEach((rb, b) => {
          if (a >= b) return;
          pairs++;
          if (ra < rb !== sOne[i]![a]! < sOne[i]![b]!) discordant++;
        }),
      ),
    );
    console.log(
      `rankings (${n} inputs x 5 candidates): tournament top-1 one vs both differ ${percent(n - same(top(tOne), top(tBoth)), n)}; ` +
        `top-1 = full's: both ${percent(same(top(tBoth), top(full)), n)}, one ${percent(same(top(tOne), top(full)), n)}; ` +
        `sort one vs both: pairs ordered differently ${percent(discordant, pairs)}, same order ${percent(sOne.filter((r, i) => r.join() === sBoth[i]!.join()).length, n)}`,
    );
    expect(top(tBoth)).toHaveLength(n);
  });
});

// The result types follow the options (checked by `npm run typecheck`, which covers tests):
// no caller needs a cast to use what rank, compare and rankAndFuse return.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import type { ComputeProgress, RankDetails, RankOptions } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel } from './fakes';

const engine = () => new RankingEngine(new FakeModel(), new CharTokenizer(), FAKE_CONFIG);

describe('result types follow the options', () => {
  it('compare: booleans by default, logits with returnLogits: true, either when only known at run time', async () => {
    const e = engine();
    const booleans = await e.compare(['q'], ['a'], ['b']);
    const logits = await e.compare(['q'], ['a'], ['b'], { returnLogits: true, mode: '[A,B]' });
    const flag: boolean = logits.length > 0;
    const either = await e.compare(['q'], ['a'], ['b'], { returnLogits: flag });
    expectTypeOf(booleans).toEqualTypeOf<boolean[]>();
    expectTypeOf(logits).toEqualTypeOf<number[]>();
    expectTypeOf(either).toEqualTypeOf<number[] | boolean[]>();
    expect([typeof booleans[0], typeof logits[0], typeof either[0]]).toEqual(['boolean', 'number', 'number']);
  });

  it('rank: ranks by default, RankDetails with returnMatrix: true; callbacks keep their parameter types', async () => {
    const e = engine();
    const seen: ComputeProgress[] = [];
    const ranks = await e.rank(['q'], [['a', 'b']], {
      onProgress: (progress) => {
        expectTypeOf(progress).toEqualTypeOf<ComputeProgress>();
        seen.push(progress);
      },
    });
    const details = await e.rank(['q'], [['a', 'b']], { returnMatrix: true });
    const options: RankOptions = { returnScores: true };
    const unknown = await e.rank(['q'], [['a', 'b']], options);
    expectTypeOf(ranks).toEqualTypeOf<number[][]>();
    expectTypeOf(details).toEqualTypeOf<RankDetails>();
    expectTypeOf(unknown).toEqualTypeOf<number[][] | RankDetails>();
    expect(details.matrices[0]).toHaveLength(2);
    expect(seen.at(-1)).toEqual({ stage: 'rank', done: 2, total: 2 });
  });
});

describe('compare with returnProbabilities', () => {
  it('is typed number[]; compareConversations too', async () => {
    const e = engine();
    const probabilities = await e.compare(['q'], ['a'], ['b'], { returnProbabilities: true });
    const conversation = [
      { role: 'USER', content: 'q' },
      { role: 'ASSISTANT', content: 'a' },
    ] as const;
    const fromConversations = await e.compareConversations([conversation], [conversation], { returnProbabilities: true });
    const flag: boolean = probabilities.length > 0;
    const either = await e.compare(['q'], ['a'], ['b'], { returnProbabilities: flag });
    expectTypeOf(probabilities).toEqualTypeOf<number[]>();
    expectTypeOf(fromConversations).toEqualTypeOf<number[]>();
    expectTypeOf(either).toEqualTypeOf<number[] | boolean[]>();
    expect([typeof probabilities[0], typeof fromConversations[0], typeof either[0]]).toEqual(['number', 'number', 'number']);
  });
});

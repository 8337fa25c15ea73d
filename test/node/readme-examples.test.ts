import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeBlender } from '../../src/node';
import { tinyBlender } from './tiny-model';

// README.md's examples on the tiny model: values differ from the real PairRM (random
// weights), shapes and rules do not.
let blender: NodeBlender;
beforeAll(async () => {
  blender = await tinyBlender();
});
afterAll(() => blender.dispose());

const isPermutation = (row: number[], n: number) => [...row].sort((a, b) => a - b).join() === Array.from({ length: n }, (_, i) => i + 1).join();

describe('README examples', () => {
  it('rank: 3 candidates for 2 inputs -> two permutations of 1..3 (1 = best)', async () => {
    const ranks = await blender.rank(
      ['hello, how are you!', 'I love you!'],
      [
        ['get out!', 'hi! I am fine, thanks!', 'bye!'],
        ['I love you too!', 'I hate you!', "Thanks! You're a good guy!"],
      ],
    );
    expect(ranks).toHaveLength(2);
    for (const row of ranks) expect(isPermutation(row, 3), JSON.stringify(ranks)).toBe(true);
  });

  it('compare "[A,B]" with returnLogits -> 2 numbers; booleans by default', async () => {
    const args = [
      ['hello!', 'I love you!'],
      ['hi!', 'I hate you!'],
      ['f**k off!', 'I love you, too!'],
    ] as const;
    const logits = await blender.compare(...args, { mode: '[A,B]', returnLogits: true });
    expect(logits).toHaveLength(2);
    for (const value of logits) expect(Number.isFinite(value)).toBe(true);
    const better = await blender.compare(...args, { mode: '[A,B]' });
    expect(better).toEqual(logits.map((v) => v > 0));
  });

  it('info() names the runtime, dtype and file; dispose() ends the blender', async () => {
    const own = await tinyBlender();
    const info = await own.info();
    expect(info).toMatchObject({ runtime: 'onnxruntime-node', device: 'cpu', fuser: null });
    expect(info.ranker).toMatchObject({ dtype: 'fp32', files: ['onnx/model.onnx'], passes: 0 });
    await own.rank(['x'], [['a', 'b']]);
    expect((await own.info()).ranker?.passes).toBe(2);
    await own.dispose();
    await expect(own.rank(['x'], [['a']])).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});

import { describe, expect, it } from 'vitest';
import { createBlender } from '../../src/node';
import type { ComputeProgress } from '../../src/engine/types';

describe('strategy "adaptive" through the Node entry (public/models/synth-pairrm)', () => {
  it('runs only the pairs it reports, with the logits full gives them, and ends on the ranking it returns', async () => {
    const blender = await createBlender({ ranker: 'public/models/synth-pairrm', fuser: null, device: 'cpu' });
    const inputs = ['hello, how are you!', 'What is 7 + 5?'];
    const candidates = [
      ['get out!', 'hi! I am fine, thanks!', 'bye!', 'I am doing well, and you?', 'no.', 'Hello! Good, thank you for asking.'],
      ['12', '13', '7 + 5 = 12', 'I do not know', '75', 'twelve', '11'],
    ];
    const events: ComputeProgress[] = [];
    const budget = 10;
    const adaptive = await blender.rank(inputs, candidates, { strategy: 'adaptive', budget, returnMatrix: true, onProgress: (event) => events.push(event) });
    expect((await blender.info()).ranker!.passes).toBe(2 * budget);
    const full = await blender.rank(inputs, candidates, { returnMatrix: true });
    adaptive.matrices.forEach((matrix, k) => {
      const ran = matrix.flat().filter((value) => !Number.isNaN(value)).length - matrix.length; // minus the diagonal
      expect(ran).toBe(budget);
      // A pair's logit never depends on its batch: the same as in full's matrix.
      matrix.forEach((row, i) => row.forEach((value, j) => Number.isNaN(value) || expect(value).toBe(full.matrices[k]![i]![j])));
    });
    expect(events.at(-1)).toMatchObject({ done: 2 * budget, total: 2 * budget, ranking: adaptive.ranks });
    await blender.dispose();
  });
});

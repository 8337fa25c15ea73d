import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeText } from '../../src/engine/encode';
import type { NodeBlender } from '../../src/node';
import { goldens } from '../models/pairrm-golden';
import { tinyBlender, tinyRows } from './tiny-model';

// test/golden/pairrm.json: texts, the reference rule's ids and fp32 PyTorch logits, made by
// the Python tooling (sentencepiece + tools/pairrm/model.py), independent of this code.
const pairs = goldens.pairs;

let blender: NodeBlender;
beforeAll(async () => {
  blender = await tinyBlender({ dtype: 'fp32' });
});
afterAll(() => blender.dispose());

/** Logits of the golden pairs through the public API, as one call ([A,B]: one pass each). */
async function apiLogits(batchSize?: number): Promise<number[]> {
  return await blender.compare(
    pairs.map((p) => p.input),
    pairs.map((p) => p.candidate1),
    pairs.map((p) => p.candidate2),
    { mode: '[A,B]', returnLogits: true, instructions: pairs.map((p) => p.instruction), ...(batchSize ? { batchSize } : {}) },
  );
}

/** The golden logit of (instruction, input, a, b), if the golden has that ordered pair. */
function goldenM(instruction: string, input: string, a: string, b: string): number | undefined {
  return pairs.find((p) => p.instruction === instruction && p.input === input && p.candidate1 === a && p.candidate2 === b)?.logit;
}

describe('parity with test/golden/pairrm.json', () => {
  it('has the cases the issue lists', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(40);
  });

  it('content ids: the tokenizer on plain text equals the reference tokenizer', () => {
    const { tokenizer } = tinyRows();
    const plain = (text: string) => tokenizer.encodePlain(sanitizeText(text));
    const mismatches = pairs.filter(
      (p) =>
        JSON.stringify([plain(p.instruction + p.input), plain(p.candidate1), plain(p.candidate2)]) !==
        JSON.stringify([p.content_ids.source, p.content_ids.candidate1, p.content_ids.candidate2]),
    );
    expect(mismatches.map((p) => p.name)).toEqual([]);
  });

  it('row ids are identical to the reference rule', () => {
    const { rows } = tinyRows();
    for (const p of pairs) {
      expect(rows.pairRow({ source: p.instruction + p.input, cand1: p.candidate1, cand2: p.candidate2 }), p.name).toEqual(p.input_ids);
    }
  });

  it('fp32 logits are within 1e-4 of PyTorch, in any batching', async () => {
    for (const batchSize of [undefined, 1]) {
      const logits = await apiLogits(batchSize);
      pairs.forEach((p, k) => expect(Math.abs(logits[k]! - p.logit), p.name).toBeLessThan(1e-4));
    }
  });

  it('compare (default mode), rank and rankWithRef equal the reference formulas over golden logits', async () => {
    // Pairs whose swapped order is also golden give two-candidate matrices.
    const twoWay = pairs.filter((p) => goldenM(p.instruction, p.input, p.candidate2, p.candidate1) !== undefined);
    expect(twoWay.length).toBeGreaterThanOrEqual(4);
    for (const p of twoWay) {
      const m01 = p.logit;
      const m10 = goldenM(p.instruction, p.input, p.candidate2, p.candidate1)!;
      const args = [[p.input], [p.candidate1], [p.candidate2]] as const;
      const options = { instructions: [p.instruction] };
      // compare: M(A,B) - M(B,A); as a boolean, > 0
      const [diff] = await blender.compare(...args, { ...options, returnLogits: true });
      expect(Math.abs(diff! - (m01 - m10)), p.name).toBeLessThan(2e-4);
      expect(await blender.compare(...args, options)).toEqual([m01 - m10 > 0]);
      // rank, max_logits: score_i = (1/N) sum_j (M[i][j] - M[j][i]); rank 1 = best, ties share
      const expectedScores = [(m01 - m10) / 2, (m10 - m01) / 2];
      const [scores] = await blender.rank([p.input], [[p.candidate1, p.candidate2]], { ...options, returnScores: true });
      scores!.forEach((s, i) => expect(Math.abs(s - expectedScores[i]!), p.name).toBeLessThan(1e-4));
      const expectedRanks = expectedScores.map((s) => 1 + expectedScores.filter((o) => o > s).length);
      if (Math.abs(m01 - m10) > 1e-3) {
        expect(await blender.rank([p.input], [[p.candidate1, p.candidate2]], options), p.name).toEqual([expectedRanks]);
      }
      // rankWithRef with candidate 2 as the explicit reference: reward = M(c, ref) - M(ref, c)
      const [rewards] = await blender.rankWithRef([p.input], [[p.candidate1]], { ...options, ref: [p.candidate2], returnScores: true });
      expect(Math.abs(rewards![0]! - (p.candidate1 === p.candidate2 ? 0 : m01 - m10)), p.name).toBeLessThan(2e-4);
    }
  });
});

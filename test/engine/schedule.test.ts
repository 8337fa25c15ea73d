import { describe, expect, it } from 'vitest';
import { planBatches } from '../../src/engine/schedule';
import { BlenderError } from '../../src/engine/errors';

const lengths = [12, 40, 7, 40, 33, 12, 90, 8, 25, 30];

describe('planBatches', () => {
  it('runs every row exactly once', () => {
    const batches = planBatches(lengths, { batchSize: 3, tokenBudget: 1000 });
    expect(batches.flatMap((b) => b.indices).sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });

  it('pads each batch only to its own longest row and groups similar lengths', () => {
    const batches = planBatches(lengths, { batchSize: 3, tokenBudget: 1000 });
    for (const batch of batches) {
      expect(batch.paddedLength).toBe(Math.max(...batch.indices.map((i) => lengths[i]!)));
    }
    expect(batches.map((b) => b.indices.map((i) => lengths[i]))).toEqual([[90, 40, 40], [33, 30, 25], [12, 12, 8], [7]]);
  });

  it('respects the pair count and the token budget', () => {
    for (const limits of [
      { batchSize: 1, tokenBudget: 1000 },
      { batchSize: 4, tokenBudget: 100 },
      { batchSize: 8, tokenBudget: 64 },
    ]) {
      for (const batch of planBatches(lengths, limits)) {
        expect(batch.indices.length).toBeLessThanOrEqual(limits.batchSize);
        if (batch.indices.length > 1) {
          expect(batch.indices.length * batch.paddedLength).toBeLessThanOrEqual(limits.tokenBudget);
        }
      }
    }
  });

  it('runs a row longer than the budget alone', () => {
    const batches = planBatches([500, 10, 10], { batchSize: 8, tokenBudget: 100 });
    expect(batches).toEqual([
      { indices: [0], paddedLength: 500 },
      { indices: [1, 2], paddedLength: 10 },
    ]);
  });

  it('rejects a non-positive batch size or budget', () => {
    expect(() => planBatches(lengths, { batchSize: 0, tokenBudget: 10 })).toThrow(BlenderError);
    expect(() => planBatches(lengths, { batchSize: 2, tokenBudget: 1.5 })).toThrow(BlenderError);
  });

  it('plans nothing for no rows', () => {
    expect(planBatches([], { batchSize: 4, tokenBudget: 100 })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { BlenderError } from '../../src/engine/errors';
import type { CompareOptions, RankOptions } from '../../src/engine/types';
import { parseBatchFile } from '../../src/datasets/batch-rows';
import { runBatch, type BatchRanker } from '../../src/demo/batch/batch-runner';

/** A ranker whose score of a candidate is its length; a candidate "boom" fails the call. */
function lengthRanker(calls: string[][] = []): BatchRanker {
  return {
    async rank(inputs, candidates, options?: RankOptions) {
      calls.push([...inputs]);
      options?.signal?.throwIfAborted();
      if (candidates.some((list) => list.includes('boom'))) throw new BlenderError('INVALID_ARGUMENT', 'boom is not allowed', 'candidates[0][1]');
      options?.onProgress?.({ stage: 'rank', done: 1, total: 1 });
      if (options?.strategy === 'bubble') return candidates.map((list) => list.map((_, i) => (i === 0 ? 1 : 2)));
      return candidates.map((list) => list.map((text) => text.length));
    },
    async compare(inputs, a, b, _options?: CompareOptions) {
      calls.push([...inputs]);
      return a.map((text, i) => text.length - b[i]!.length);
    },
  };
}

const rows = (lines: string[]) => parseBatchFile('x.jsonl', lines.join('\n')).rows;

describe('runBatch', () => {
  it('runs rows a few per call; ranks come from the scores', async () => {
    const calls: string[][] = [];
    const progress: number[] = [];
    const batch = rows(['q1', 'q2', 'q3'].map((input) => JSON.stringify({ input, candidates: ['aa', 'a', 'aaa'] })));
    const run = await runBatch(lengthRanker(calls), batch, {
      strategy: 'full',
      signal: new AbortController().signal,
      rowsPerCall: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(run.cancelled).toBe(false);
    expect(calls).toEqual([['q1', 'q2'], ['q3']]);
    expect(run.outcomes.map((outcome) => outcome.kind === 'rank' && [outcome.ranks, outcome.scores])).toEqual([
      [
        [2, 3, 1],
        [2, 1, 3],
      ],
      [
        [2, 3, 1],
        [2, 1, 3],
      ],
      [
        [2, 3, 1],
        [2, 1, 3],
      ],
    ]);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(3);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('a failing call is retried row by row: only the bad row fails, with its field', async () => {
    const batch = rows(['ok1', 'bad', 'ok2'].map((input) => JSON.stringify({ input, candidates: ['x', input === 'bad' ? 'boom' : 'yy'] })));
    const run = await runBatch(lengthRanker(), batch, { strategy: 'full', signal: new AbortController().signal, rowsPerCall: 8 });
    expect(run.outcomes.map((outcome) => outcome.kind)).toEqual(['rank', 'failed', 'rank']);
    expect(run.outcomes[1]).toMatchObject({ place: { row: 2, line: 2 }, field: 'candidates[1]', message: 'boom is not allowed' });
  });

  it('bubble gives ranks without scores; pairs give logits', async () => {
    const ranked = await runBatch(lengthRanker(), rows(['{"input": "q", "candidates": ["a", "bb"]}']), {
      strategy: 'bubble',
      signal: new AbortController().signal,
    });
    expect(ranked.outcomes[0]).toMatchObject({ ranks: [1, 2], scores: null });
    const pairs = await runBatch(lengthRanker(), rows(['{"input": "q", "a": "aaa", "b": "a"}']), { strategy: 'full', signal: new AbortController().signal });
    expect(pairs.outcomes[0]).toMatchObject({ kind: 'pair', logit: 2 });
  });

  it('cancelling keeps the outcomes so far and runs no further call', async () => {
    const controller = new AbortController();
    const calls: string[][] = [];
    const ranker = lengthRanker(calls);
    const cancelling: BatchRanker = {
      ...ranker,
      async rank(inputs, candidates, options) {
        const result = await ranker.rank(inputs, candidates, options);
        if (calls.length === 2) controller.abort();
        return result;
      },
    };
    const batch = rows(Array.from({ length: 10 }, (_, i) => JSON.stringify({ input: `q${i}`, candidates: ['a', 'b'] })));
    const run = await runBatch(cancelling, batch, { strategy: 'full', signal: controller.signal, rowsPerCall: 2 });
    expect(run.cancelled).toBe(true);
    expect(calls).toHaveLength(2);
    expect(run.outcomes).toHaveLength(4);
  });
});

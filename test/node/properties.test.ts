import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeBlender } from '../../src/node';
import { tinyBlender, tinyRows } from './tiny-model';

let blender: NodeBlender;
beforeAll(async () => {
  // No pair cache: these properties compare runs of the model under different batchings,
  // which a cache would answer from the first run instead.
  blender = await tinyBlender({ pairCache: 0 });
});
afterAll(() => blender.dispose());

// Lengths vary a lot (short, long enough to truncate) so batches mix and pad differently.
const long = 'The committee reviewed every proposal twice, then asked for more detail on costs. '.repeat(4);
const inputs = ['hello, how are you?', `Summarize: ${long}`, '', 'Translate to French: good morning'];
const candidates = [
  ['fine, thanks!', 'go away', 'I am a language model.', long],
  ['Costs were reviewed.', `${long} In short: more detail.`, 'no'],
  ['', 'empty input, still ranked', 'ok'],
  ['bonjour', 'buenos dias', 'bon matin', 'guten Morgen', 'salut'],
];
const instructions = ['', 'Be brief.', 'Answer.', ''];

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

describe('results do not depend on batching or order', () => {
  it('batch sizes 1, 3 and 8 (and a tight token budget) give the same scores to 1e-5', async () => {
    const base = await blender.rank(inputs, candidates, { instructions, returnScores: true, batchSize: 1 });
    for (const options of [{ batchSize: 3 }, { batchSize: 8 }, { batchSize: 8, tokenBudget: 200 }]) {
      const other = await blender.rank(inputs, candidates, { instructions, returnScores: true, ...options });
      expect(maxDiff(base, other)).toBeLessThanOrEqual(1e-5);
    }
    const logits1 = await blender.compare(inputs, ['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'], { returnLogits: true, batchSize: 1 });
    const logits8 = await blender.compare(inputs, ['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'], { returnLogits: true, batchSize: 8 });
    expect(maxDiff([logits1], [logits8])).toBeLessThanOrEqual(1e-5);
  });

  it('5 concurrent calls give the results of sequential ones', async () => {
    const calls = [1, 2, 3, 4, 5].map((batchSize) => () => blender.rank(inputs, candidates, { instructions, returnScores: true, batchSize }));
    const sequential: number[][][] = [];
    for (const call of calls) sequential.push(await call());
    const concurrent = await Promise.all(calls.map((call) => call()));
    concurrent.forEach((result, k) => expect(maxDiff(result, sequential[k]!)).toBe(0));
  });

  it('shuffling inputs and candidates permutes the scores and nothing else', async () => {
    const base = await blender.rank(inputs, candidates, { instructions, returnScores: true });
    const inputOrder = [2, 0, 3, 1];
    const shuffledCandidates = inputOrder.map((i) => [...candidates[i]!].reverse());
    const shuffled = await blender.rank(
      inputOrder.map((i) => inputs[i]!),
      shuffledCandidates,
      { instructions: inputOrder.map((i) => instructions[i]!), returnScores: true },
    );
    const unshuffled = inputs.map((_, i) => [...shuffled[inputOrder.indexOf(i)]!].reverse());
    expect(maxDiff(base, unshuffled)).toBeLessThanOrEqual(1e-5);
  });
});

describe('ranking rules on the model', () => {
  it('identical candidates tie exactly and share the best rank', async () => {
    const scores = await blender.rank(['pick one'], [['same answer', 'another answer', 'same answer']], { returnScores: true });
    expect(scores[0]![0]).toBe(scores[0]![2]);
    const ranks = await blender.rank(['pick one'], [['same answer', 'another answer', 'same answer']]);
    expect(ranks[0]![0]).toBe(ranks[0]![2]);
    expect([
      [1, 3, 1],
      [2, 1, 2],
    ]).toContainEqual(ranks[0]);
  });

  it('N = 1 ranks 1; rankWithRef gives the reference 0', async () => {
    expect(await blender.rank(['x'], [['only']])).toEqual([[1]]);
    const rewards = await blender.rankWithRef(inputs, candidates, { returnScores: true, ref: 'first' });
    rewards.forEach((row) => expect(row[0]).toBe(0));
  });

  it('compareConversations equals compare on the reference texts', async () => {
    const a = [
      { role: 'USER' as const, content: 'hi' },
      { role: 'ASSISTANT' as const, content: 'hello there' },
      { role: 'USER' as const, content: 'bye' },
      { role: 'ASSISTANT' as const, content: 'see you' },
    ];
    const b = [a[0]!, { role: 'ASSISTANT' as const, content: 'go away' }, a[2]!, { role: 'ASSISTANT' as const, content: 'whatever' }];
    const viaConversations = await blender.compareConversations([a], [b], { returnLogits: true });
    const viaCompare = await blender.compare(
      ['USER: hi\nAssistant: <Response 1>\nUSER: bye\nAssistant: <Response 2>'],
      ['<Response 1>: hello there\n<Response 2>: see you'],
      ['<Response 1>: go away\n<Response 2>: whatever'],
      {
        returnLogits: true,
        instructions: ['Finish the following coversation in each i-th turn by filling in <Response i> with your response.'],
      },
    );
    expect(viaConversations).toEqual(viaCompare);
  });

  it('rankWithRef: every ref mode picks its reference, which scores 0', async () => {
    const list = ['bb', 'a', 'dddd', 'cc', 'eeee'];
    const expectedRef = { longest: 2, shortest: 1, median_length: 3, first: 0, last: 4 } as const;
    for (const [ref, index] of Object.entries(expectedRef)) {
      const [rewards] = await blender.rankWithRef(['q'], [list], { ref: ref as keyof typeof expectedRef, returnScores: true });
      expect(rewards![index], ref).toBe(0);
      expect(
        rewards!.filter((r) => r === 0),
        ref,
      ).toHaveLength(1);
    }
  });

  it('bubble with the same seed gives the same winner', async () => {
    const first = await blender.rank(inputs, candidates, { strategy: 'bubble', seed: 5 });
    const again = await blender.rank(inputs, candidates, { strategy: 'bubble', seed: 5, batchSize: 1 });
    expect(again).toEqual(first);
    first.forEach((row) => expect(row.filter((r) => r === 1)).toHaveLength(1));
  });
});

describe('long texts', () => {
  it('a 1 MB candidate is truncated by the rules in bounded time: same scores as its first 20 000 characters', async () => {
    const huge = 'Every answer keeps going, sentence after sentence, far past any limit. '.repeat(14_000);
    const started = performance.now();
    const full = await blender.rank(['Explain.'], [[huge, 'A short answer.', '']], { returnScores: true });
    expect(performance.now() - started).toBeLessThan(10_000);
    const cut = await blender.rank(['Explain.'], [[huge.slice(0, 20_000), 'A short answer.', '']], { returnScores: true });
    expect(full).toEqual(cut);
  });
});

describe('hostile text', () => {
  it('lone surrogates, NUL and control characters, 10 000 emoji and HTML run like any text', async () => {
    const texts = ['\uD800 lone \uDFFF', 'nul\u0000byte\u0007bell', '😀'.repeat(10_000), '<img src=x onerror=alert(1)>', '\u202Eright-to-left override'];
    const logits = await blender.compare(texts, texts, [...texts].reverse(), { returnLogits: true });
    expect(logits).toHaveLength(texts.length);
    for (const value of logits) expect(Number.isFinite(value)).toBe(true);
  });
});

describe('progress and abort on the model', () => {
  it('reports progress per batch; an abort between batches rejects with ABORTED and the blender goes on', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await blender
      .rank(inputs, candidates, {
        batchSize: 4,
        signal: controller.signal,
        onProgress: ({ done, total }) => {
          seen.push(done);
          expect(total).toBe(4 * 3 + 3 * 2 + 3 * 2 + 5 * 4);
          if (seen.length === 2) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BlenderError', code: 'ABORTED', argument: 'options.signal' });
    expect(seen).toEqual([4, 8]);
    expect(await blender.rank(inputs, candidates)).toHaveLength(4);
  });
});

describe('marker strings in user text', () => {
  const { config, tokenizer, rows } = tinyRows();
  const markers = ['<|source|>', '<|candidate1|>', '<|candidate2|>', '<|candidate|>', '[CLS]', '[SEP]', '[PAD]', '[MASK]'];
  const tricky = markers.join(' ');

  it('never produce a marker or special id, so the head reads the same positions', () => {
    const reserved = [config.sourcePrefixId, config.cand1PrefixId, config.cand2PrefixId, config.clsTokenId, config.sepTokenId, config.padTokenId];
    for (const text of [tricky, `x${tricky}y`, markers.join('')]) {
      const ids = tokenizer.encodePlain(text);
      expect(ids.filter((id) => reserved.includes(id))).toEqual([]);
    }
    for (const pair of [
      { source: `Q ${tricky}`, cand1: `A <|candidate2|>`, cand2: `B <|candidate1|><|source|>` },
      { source: 'plain', cand1: tricky, cand2: tricky },
    ]) {
      const row = rows.pairRow(pair);
      const sourceLength = rows.sourceRow(pair.source).length;
      const budget = rows.candidateBudget(sourceLength);
      const cand1Length = rows.candidateRow(pair.cand1, 1, budget).length;
      // each marker exactly once, right after its [CLS]
      for (const [id, at] of [
        [config.sourcePrefixId, 1],
        [config.cand1PrefixId, sourceLength + 1],
        [config.cand2PrefixId, sourceLength + cand1Length + 1],
      ] as const) {
        expect(row.filter((x) => x === id)).toHaveLength(1);
        expect(row.indexOf(id)).toBe(at);
        expect(row[at - 1]).toBe(config.clsTokenId);
      }
    }
  });

  it('run through the model like any other text', async () => {
    const logits = await blender.compare([tricky], [`<|candidate2|> ${tricky}`], ['[SEP] fine'], { returnLogits: true });
    expect(Number.isFinite(logits[0])).toBe(true);
  });
});

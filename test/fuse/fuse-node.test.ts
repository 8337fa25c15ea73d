// fuse / rankAndFuse / bestOfN through the Node entry on the tiny models: token-for-token
// equality with the torch goldens (greedy and 4 beams), streaming, abort, batching.
import { afterAll, describe, expect, it } from 'vitest';
import { FusionEngine, type FuserGenerator } from '../../src/engine/fusion-engine';
import { createBlender, isBlenderError, topK } from '../../src/node';
import { loadNodeFuser } from '../../src/runtime/node/node-fuser';
import { goldens, TINY_FUSER, TINY_PAIRRM, withinLimit } from './fuser-goldens';

const blender = createBlender({ ranker: TINY_PAIRRM, fuser: TINY_FUSER, threads: 1 });
afterAll(async () => (await blender).dispose());
const maxNewTokens = goldens.max_new_tokens;
const cases = withinLimit.map((c) => [c.name, c] as const);

/** The loaded fuser's engine with a generator that records the sequences it returns. */
async function recordingEngine() {
  const fuser = await loadNodeFuser(TINY_FUSER, 'fp32', 1);
  const sequences: number[][] = [];
  const generator: FuserGenerator = {
    generate: async (rows, options) => {
      const out = await fuser.generator.generate(rows, options);
      sequences.push(...out);
      return out;
    },
  };
  return { engine: new FusionEngine(generator, fuser.tokenizer, fuser.engine.config), sequences };
}

describe('fuse (Node, tiny fuser, fp32)', () => {
  it('within-limit goldens: one batched call gives every golden text, beams by default', async () => {
    const b = await blender;
    const fused = await b.fuse(
      withinLimit.map((c) => c.input),
      withinLimit.map((c) => c.candidates),
      { instructions: withinLimit.map((c) => c.instruction), maxNewTokens },
    );
    expect(fused).toEqual(withinLimit.map((c) => c.beam.text));
  });

  it.each(cases)('%s: greedy and 4-beam generations equal the golden ids token for token', async (_name, c) => {
    const { engine, sequences } = await recordingEngine();
    const options = { instructions: [c.instruction], maxNewTokens };
    expect(await engine.fuse([c.input], [c.candidates], { ...options, numBeams: 1 })).toEqual([c.greedy.text]);
    expect(await engine.fuse([c.input], [c.candidates], { ...options, numBeams: goldens.num_beams })).toEqual([c.beam.text]);
    expect(sequences).toEqual([c.greedy.ids, c.beam.ids]);
  });

  it('greedy streams token by token; the pieces concatenate to each result', async () => {
    const b = await blender;
    const pieces: [number, string][] = [];
    const fused = await b.fuse(
      withinLimit.map((c) => c.input),
      withinLimit.map((c) => c.candidates),
      { instructions: withinLimit.map((c) => c.instruction), maxNewTokens, numBeams: 1, onToken: (i, text) => pieces.push([i, text]) },
    );
    expect(fused).toEqual(withinLimit.map((c) => c.greedy.text));
    fused.forEach((text, i) => {
      const mine = pieces.filter(([input]) => input === i).map(([, piece]) => piece);
      expect(mine.join('')).toBe(text);
      expect(mine.length).toBeGreaterThan(2);
    });
  });

  it('beam search delivers each final text once, at the end', async () => {
    const b = await blender;
    const pieces: [number, string][] = [];
    const fused = await b.fuse(['What is free software?', 'x'], [['Software you may share.', 'Free.'], ['y']], {
      maxNewTokens: 8,
      onToken: (i, text) => pieces.push([i, text]),
    });
    expect(pieces).toEqual(fused.map((text, i) => [i, text]));
  });

  it('reports progress per batch of inputs', async () => {
    const b = await blender;
    const events: unknown[] = [];
    await b.fuse(['a', 'b', 'c'], [['x'], ['y'], ['z']], { maxNewTokens: 2, batchSize: 2, onProgress: (p) => events.push(p) });
    expect(events).toEqual([
      { stage: 'fuse', done: 2, total: 3 },
      { stage: 'fuse', done: 3, total: 3 },
    ]);
  });

  it('an abort mid-generation rejects with ABORTED between steps; the next call works', async () => {
    const b = await blender;
    const c = withinLimit[0]!;
    const controller = new AbortController();
    let tokens = 0;
    const run = b.fuse([c.input], [c.candidates], {
      instructions: [c.instruction],
      maxNewTokens,
      numBeams: 1,
      signal: controller.signal,
      onToken: () => {
        if (++tokens === 2) controller.abort();
      },
    });
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBlenderError(error) && [error.code, error.argument]).toEqual(['ABORTED', 'options.signal']);
    expect(tokens).toBeLessThan(4);
    expect(await b.fuse([c.input], [c.candidates], { instructions: [c.instruction], maxNewTokens })).toEqual([c.beam.text]);
  });
});

describe('rankAndFuse and bestOfN (Node, tiny models)', () => {
  const inputs = ['What is free software?', 'Summarize the license.'];
  const candidates = [
    ['Software you may share.', 'Software that respects freedom.', 'Free as in beer.', 'Code.'],
    ['It is permissive.', 'You may copy it.', 'No warranty.'],
  ];
  const instructions = ['Answer.', 'Be brief.'];

  it('ranks in full, fuses the top K best first, and returns all three', async () => {
    const b = await blender;
    const result = await b.rankAndFuse(inputs, candidates, { instructions, topK: 2, maxNewTokens: 6 });
    const ranks = await b.rank(inputs, candidates, { instructions });
    expect(result.ranks).toEqual(ranks);
    expect(result.topCandidates).toEqual(topK(ranks, candidates, 2));
    expect(result.fused).toEqual(await b.fuse(inputs, result.topCandidates, { instructions, maxNewTokens: 6 }));
  });

  it("returnMatrix: the ranking's scores and matrices too, the same as rank({ returnMatrix }) gives", async () => {
    const b = await blender;
    const result = await b.rankAndFuse(inputs, candidates, { maxNewTokens: 2, returnMatrix: true });
    const ranking = await b.rank(inputs, candidates, { returnMatrix: true });
    expect({ ranks: result.ranks, scores: result.scores, matrices: result.matrices }).toEqual(ranking);
    expect(Object.keys(await b.rankAndFuse(inputs, candidates, { maxNewTokens: 1 })).sort()).toEqual(['fused', 'ranks', 'topCandidates']);
  });

  it('topK defaults to 3', async () => {
    const b = await blender;
    const result = await b.rankAndFuse(inputs, candidates, { maxNewTokens: 2 });
    expect(result.topCandidates.map((list) => list.length)).toEqual([3, 3]);
  });

  it('bestOfN: generation prompt instruction + "\\n" + input, ranking source instruction + input', async () => {
    const b = await blender;
    const prompts: [string, number][] = [];
    const generate = (prompt: string, n: number) => {
      prompts.push([prompt, n]);
      return candidates[prompts.length - 1]!.slice(0, n);
    };
    const full = await b.bestOfN(inputs, { generate, n: 3, strategy: 'full', instructions });
    expect(prompts).toEqual([
      ['Answer.\nWhat is free software?', 3],
      ['Be brief.\nSummarize the license.', 3],
    ]);
    const three = candidates.map((list) => list.slice(0, 3));
    // The ranker joins instruction and input without a separator (docs/reference.md §2).
    const ranks = await b.rank(
      inputs.map((input, i) => instructions[i] + input),
      three,
    );
    expect(full.candidates).toEqual(three);
    expect(full.ranks).toEqual(ranks);
    expect(full.ranked).toEqual(topK(ranks, three, 3));
    expect(full.best).toEqual(full.ranked.map((list) => list[0]));
  });

  it('bestOfN with a budget strategy picks what rank with that strategy ranks first', async () => {
    const b = await blender;
    const five = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const result = await b.bestOfN(['q'], { generate: () => five, strategy: 'tournament' });
    const ranks = await b.rank(['q'], [five], { strategy: 'tournament' });
    expect(result.ranks).toEqual(ranks);
    expect(result.best).toEqual([five[ranks[0]!.indexOf(1)]]);
  });

  it('bestOfN bubble (default, n = 5, seeded) picks the bubble winner', async () => {
    const b = await blender;
    const five = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const result = await b.bestOfN(['q'], { generate: async (_p, n) => five.slice(0, n), seed: 3 });
    const ranks = await b.rank(['q'], [five], { strategy: 'bubble', seed: 3 });
    expect(result.ranks).toEqual(ranks);
    expect(result.best).toEqual([five[ranks[0]!.indexOf(1)]]);
    expect(result.ranked[0]).toHaveLength(5);
  });
});

// Sampling (doSample): the draw itself against HF 4.28's warpers, computed here by hand, and
// fuse with doSample through the Node entry on the tiny fuser.
import { afterAll, describe, expect, it } from 'vitest';
import { sampleToken, SAMPLING_TOP_K } from '../../src/engine/beam-search';
import { mulberry32 } from '../../src/engine/seeded-random';
import { createBlender, isBlenderError } from '../../src/node';
import { TINY_FUSER, withinLimit } from './fuser-goldens';

function frequencies(logits: number[], settings: { temperature: number; topP: number }, draws: number): number[] {
  const random = mulberry32(12345);
  const counts = logits.map(() => 0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, settings, random)]!++;
  return counts.map((count) => count / draws);
}

describe('sampleToken', () => {
  it('draws in proportion to softmax(logits / temperature)', () => {
    // softmax([0, ln 3]) = [0.25, 0.75]; at temperature 2: [1/(1+sqrt 3), sqrt 3/(1+sqrt 3)].
    const [, p] = frequencies([0, Math.log(3)], { temperature: 1, topP: 1 }, 20_000);
    expect(p).toBeCloseTo(0.75, 1.5);
    const [, q] = frequencies([0, Math.log(3)], { temperature: 2, topP: 1 }, 20_000);
    expect(q).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 1.5);
  });

  it('keeps only the top 50 tokens (HF default top_k)', () => {
    // Tokens 150..199 share the top logit; the other 150 are only slightly less likely.
    const logits = Array.from({ length: 200 }, (_, v) => (v < 150 ? -0.01 - 0.001 * v : 0));
    const counts = frequencies(logits, { temperature: 1, topP: 1 }, 5_000);
    const drawn = counts.map((f, v) => (f > 0 ? v : -1)).filter((v) => v >= 0);
    expect(drawn.length).toBeLessThanOrEqual(SAMPLING_TOP_K);
    expect(drawn.every((v) => v >= 150)).toBe(true);
  });

  it('top-p keeps the smallest set whose mass passes topP, and always the best token', () => {
    // probabilities 0.5, 0.3, 0.2: with topP 0.7 the 0.2 token goes (cumulative ascending
    // 0.2 <= 0.3); with topP 0.01 only the best stays.
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const some = frequencies(logits, { temperature: 1, topP: 0.7 }, 20_000);
    expect(some[2]).toBe(0);
    expect(some[0]! / (some[0]! + some[1]!)).toBeCloseTo(0.5 / 0.8, 1.5);
    expect(frequencies(logits, { temperature: 1, topP: 0.01 }, 1000)).toEqual([1, 0, 0]);
  });

  it('at a very low temperature it is greedy', () => {
    expect(frequencies([0.1, 0.3, 0.2], { temperature: 1e-4, topP: 1 }, 500)).toEqual([0, 1, 0]);
  });
});

describe('fuse with doSample (Node, tiny fuser)', () => {
  const blender = createBlender({ ranker: null, fuser: TINY_FUSER, threads: 1 });
  afterAll(async () => (await blender).dispose());
  const cases = withinLimit.slice(0, 4);
  const args = [cases.map((c) => c.input), cases.map((c) => c.candidates)] as const;
  const base = { instructions: cases.map((c) => c.instruction), maxNewTokens: 12, doSample: true, temperature: 1.5 };

  it('is reproducible from its seed, whatever the batch size, and differs from greedy', async () => {
    const b = await blender;
    const one = await b.fuse(...args, { ...base, seed: 7, batchSize: 1 });
    const four = await b.fuse(...args, { ...base, seed: 7, batchSize: 4 });
    expect(four).toEqual(one);
    const otherSeeds = await Promise.all([8, 9, 10].map((seed) => b.fuse(...args, { ...base, seed })));
    expect(otherSeeds.some((texts) => JSON.stringify(texts) !== JSON.stringify(one))).toBe(true);
    const greedy = await b.fuse(...args, { instructions: base.instructions, maxNewTokens: 12, numBeams: 1 });
    expect(one).not.toEqual(greedy);
  });

  it('with a tiny topP it is greedy', async () => {
    const b = await blender;
    const nucleus = await b.fuse(...args, { ...base, temperature: 1, topP: 1e-6 });
    const greedy = await b.fuse(...args, { instructions: base.instructions, maxNewTokens: 12, numBeams: 1 });
    expect(nucleus).toEqual(greedy);
  });

  it.each([
    [{ doSample: true, numBeams: 4 }, 'options.numBeams'],
    [{ temperature: 0.7 }, 'options.temperature'],
    [{ doSample: true, temperature: 0 }, 'options.temperature'],
    [{ doSample: true, topP: 1.5 }, 'options.topP'],
    [{ doSample: 'yes' }, 'options.doSample'],
    [{ doSample: true, seed: -1 }, 'options.seed'],
  ])('rejects %o naming %s', async (options, argument) => {
    const b = await blender;
    const error = await b.fuse(...args, options as never).catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toMatch(/INVALID_OPTION|INVALID_ARGUMENT/);
    expect((error as { argument?: string }).argument).toBe(argument);
  });
});

// compare(..., { returnProbabilities: true }): P(A better than B) = σ of the mode's value.
import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { isBlenderError } from '../../src/engine/errors';
import { PairCache } from '../../src/engine/pair-cache';
import type { Conversation } from '../../src/engine/types';
import { CharTokenizer, FAKE_CONFIG, FakeModel, fakeLogit } from './fakes';

const engine = () => new RankingEngine(new FakeModel(), new CharTokenizer(), FAKE_CONFIG, undefined, new PairCache(0));
const ids = (text: string) => [...text].map((c) => 10 + (c.codePointAt(0)! % 90));
/** The fake model's float32 logit for short texts (no truncation), computed without the engine. */
const logit = (source: string, c1: string, c2: string) => Math.fround(fakeLogit(ids(source), ids(c1), ids(c2)));
const sigma = (x: number) => 1 / (1 + Math.exp(-x));
const turns = (answer: string): Conversation => [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: answer },
];

const inputs = ['hi', 'why?', 'x'];
const as = ['hello', 'no', 'abc'];
const bs = ['go', 'because', 'abd'];

describe('compare with returnProbabilities', () => {
  it('gives σ(M(A,B) − M(B,A)), σ(M(A,B)) or σ(M(B,A)) per mode', async () => {
    const e = engine();
    const expected = {
      '[A,B]+[B,A]': inputs.map((q, i) => sigma(logit(q, as[i]!, bs[i]!) - logit(q, bs[i]!, as[i]!))),
      '[A,B]': inputs.map((q, i) => sigma(logit(q, as[i]!, bs[i]!))),
      '[B,A]': inputs.map((q, i) => sigma(logit(q, bs[i]!, as[i]!))),
    };
    for (const mode of ['[A,B]+[B,A]', '[A,B]', '[B,A]'] as const) {
      const probabilities = await e.compare(inputs, as, bs, { mode, returnProbabilities: true });
      expect(probabilities).toHaveLength(inputs.length);
      probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[mode][i]!, 12));
    }
    const defaults = await e.compare(inputs, as, bs, { returnProbabilities: true });
    defaults.forEach((p, i) => expect(p).toBeCloseTo(expected['[A,B]+[B,A]'][i]!, 12));
  });

  it('agrees with the booleans: p > 0.5 exactly when A wins', async () => {
    const e = engine();
    const probabilities = await e.compare(inputs, as, bs, { returnProbabilities: true });
    expect(probabilities.map((p) => p > 0.5)).toEqual(await e.compare(inputs, as, bs));
    probabilities.forEach((p) => expect(p > 0 && p < 1).toBe(true));
  });

  it('compareConversations too', async () => {
    const e = engine();
    const probabilities = await e.compareConversations([turns('yo')], [turns('go away')], { returnProbabilities: true });
    const values = await e.compareConversations([turns('yo')], [turns('go away')], { returnLogits: true });
    expect(probabilities[0]).toBeCloseTo(sigma(values[0]!), 12);
  });

  it('with returnLogits as well is INVALID_OPTION naming options.returnProbabilities', async () => {
    const e = engine();
    for (const call of [
      () => e.compare(['q'], ['a'], ['b'], { returnLogits: true, returnProbabilities: true }),
      () => e.compareConversations([turns('a')], [turns('b')], { returnLogits: true, returnProbabilities: true }),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(isBlenderError(error) && [error.code, error.argument]).toEqual(['INVALID_OPTION', 'options.returnProbabilities']);
    }
    const error = await e.compare(['q'], ['a'], ['b'], { returnProbabilities: 'yes' as unknown as boolean }).catch((caught: unknown) => caught);
    expect(isBlenderError(error) && [error.code, error.argument]).toEqual(['INVALID_OPTION', 'options.returnProbabilities']);
  });
});

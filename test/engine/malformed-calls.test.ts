import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { isBlenderError, type BlenderErrorCode } from '../../src/engine/errors';
import { CharTokenizer, FAKE_CONFIG, FakeModel } from './fakes';

const engine = new RankingEngine(new FakeModel(), new CharTokenizer(), FAKE_CONFIG);
const conv = [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: 'hello' },
] as const;

// Untyped on purpose: these are the calls a JavaScript caller (or a typo) can make.
const loose = engine as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

const cases: [name: string, call: () => Promise<unknown>, code: BlenderErrorCode, argument: string][] = [
  ['inputs not an array', () => loose.rank!('hi', [['a']]), 'INVALID_ARGUMENT', 'inputs'],
  ['a non-string input', () => loose.rank!(['a', 3], [['a'], ['b']]), 'INVALID_ARGUMENT', 'inputs[1]'],
  ['candidates not an array', () => loose.rank!(['a'], 'a'), 'INVALID_ARGUMENT', 'candidates'],
  ['fewer candidate lists than inputs', () => loose.rank!(['a', 'b'], [['x']]), 'LENGTH_MISMATCH', 'candidates'],
  ['a candidate list that is a string', () => loose.rank!(['a'], ['xy']), 'INVALID_ARGUMENT', 'candidates[0]'],
  ['a non-string candidate', () => loose.rank!(['a'], [['x', null]]), 'INVALID_ARGUMENT', 'candidates[0][1]'],
  ['an empty candidate list', () => loose.rank!(['a', 'b'], [['x'], []]), 'EMPTY_CANDIDATES', 'candidates[1]'],
  ['an unknown option (typo)', () => loose.rank!(['a'], [['x']], { retrunScores: true }), 'UNKNOWN_OPTION', 'options.retrunScores'],
  ['options not an object', () => loose.rank!(['a'], [['x']], 'fast'), 'INVALID_ARGUMENT', 'options'],
  ['a bad strategy', () => loose.rank!(['a'], [['x']], { strategy: 'tournament' }), 'INVALID_OPTION', 'options.strategy'],
  ['a bad aggregate', () => loose.rank!(['a'], [['x']], { aggregate: 'mean' }), 'INVALID_OPTION', 'options.aggregate'],
  ['bubble with returnScores', () => loose.rank!(['a'], [['x']], { strategy: 'bubble', returnScores: true }), 'INVALID_OPTION', 'options.returnScores'],
  ['a seed with strategy full', () => loose.rank!(['a'], [['x']], { seed: 3 }), 'INVALID_OPTION', 'options.seed'],
  ['a fractional seed', () => loose.rank!(['a'], [['x']], { strategy: 'bubble', seed: 0.5 }), 'INVALID_OPTION', 'options.seed'],
  ['batchSize 0', () => loose.rank!(['a'], [['x', 'y']], { batchSize: 0 }), 'INVALID_OPTION', 'options.batchSize'],
  ['batchSize as a string', () => loose.rank!(['a'], [['x', 'y']], { batchSize: '8' }), 'INVALID_OPTION', 'options.batchSize'],
  ['a negative token budget', () => loose.rank!(['a'], [['x', 'y']], { tokenBudget: -1 }), 'INVALID_OPTION', 'options.tokenBudget'],
  ['returnScores not a boolean', () => loose.rank!(['a'], [['x']], { returnScores: 'yes' }), 'INVALID_OPTION', 'options.returnScores'],
  ['instructions of the wrong length', () => loose.rank!(['a', 'b'], [['x'], ['y']], { instructions: ['i'] }), 'LENGTH_MISMATCH', 'options.instructions'],
  ['a non-string instruction', () => loose.rank!(['a'], [['x']], { instructions: [1] }), 'INVALID_ARGUMENT', 'options.instructions[0]'],
  ['onProgress not a function', () => loose.rank!(['a'], [['x']], { onProgress: true }), 'INVALID_OPTION', 'options.onProgress'],
  ['signal not an AbortSignal', () => loose.rank!(['a'], [['x']], { signal: 'stop' }), 'INVALID_OPTION', 'options.signal'],
  ['compare: candidatesA too short', () => loose.compare!(['a', 'b'], ['x'], ['y', 'z']), 'LENGTH_MISMATCH', 'candidatesA'],
  ['compare: a non-string in candidatesB', () => loose.compare!(['a'], ['x'], [{}]), 'INVALID_ARGUMENT', 'candidatesB[0]'],
  ['compare: a bad mode', () => loose.compare!(['a'], ['x'], ['y'], { mode: 'A>B' }), 'INVALID_OPTION', 'options.mode'],
  ['compare: rank options', () => loose.compare!(['a'], ['x'], ['y'], { strategy: 'full' }), 'UNKNOWN_OPTION', 'options.strategy'],
  ['conversations: an odd number of turns', () => loose.compareConversations!([[conv[0]]], [[conv[0]]]), 'INVALID_CONVERSATION', 'conversationsA[0]'],
  ['conversations: roles out of order', () => loose.compareConversations!([[conv[1], conv[0]]], [[...conv]]), 'INVALID_CONVERSATION', 'conversationsA[0][0].role'],
  ['conversations: different user turns', () => loose.compareConversations!([[...conv]], [[{ role: 'USER', content: 'yo' }, conv[1]]]), 'INVALID_CONVERSATION', 'conversationsB[0][0].content'],
  ['conversations: different counts', () => loose.compareConversations!([[...conv]], []), 'LENGTH_MISMATCH', 'conversationsB'],
  ['conversations: instructions are not an option there', () => loose.compareConversations!([[...conv]], [[...conv]], { instructions: ['x'] }), 'UNKNOWN_OPTION', 'options.instructions'],
  ['rankWithRef: a bad ref mode', () => loose.rankWithRef!(['a'], [['x']], { ref: 'middle' }), 'INVALID_OPTION', 'options.ref'],
  ['rankWithRef: explicit refs of the wrong length', () => loose.rankWithRef!(['a'], [['x']], { ref: ['r', 's'] }), 'LENGTH_MISMATCH', 'options.ref'],
  ['rankWithRef: an empty candidate list', () => loose.rankWithRef!(['a'], [[]]), 'EMPTY_CANDIDATES', 'candidates[0]'],
];

describe('malformed calls reject with a BlenderError naming the argument', () => {
  it('has at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases)('%s', async (_name, call, code, argument) => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isBlenderError(error), `expected a BlenderError, got ${String(error)}`).toBe(true);
    if (!isBlenderError(error)) return;
    expect(error.code).toBe(code);
    expect(error.argument).toBe(argument);
    expect(error.message.length).toBeGreaterThan(10);
  });
});

/** Malformed calls of the ranking API and the error each must give (engine and Node blender). */
import { expect } from 'vitest';
import { isBlenderError, type BlenderErrorCode } from '../../src/engine/errors';
import type { Ranker } from '../../src/engine/types';

const conv = [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: 'hello' },
] as const;

export type MalformedCase = [name: string, call: (target: Ranker) => Promise<unknown>, code: BlenderErrorCode, argument: string];

// Untyped on purpose: these are the calls a JavaScript caller (or a typo) can make.
type Loose = Record<string, (...args: unknown[]) => Promise<unknown>>;
const on = (target: Ranker) => target as unknown as Loose;

export const MALFORMED_CASES: MalformedCase[] = [
  ['inputs not an array', (t) => on(t).rank!('hi', [['a']]), 'INVALID_ARGUMENT', 'inputs'],
  ['a non-string input', (t) => on(t).rank!(['a', 3], [['a'], ['b']]), 'INVALID_ARGUMENT', 'inputs[1]'],
  ['candidates not an array', (t) => on(t).rank!(['a'], 'a'), 'INVALID_ARGUMENT', 'candidates'],
  ['fewer candidate lists than inputs', (t) => on(t).rank!(['a', 'b'], [['x']]), 'LENGTH_MISMATCH', 'candidates'],
  ['a candidate list that is a string', (t) => on(t).rank!(['a'], ['xy']), 'INVALID_ARGUMENT', 'candidates[0]'],
  ['a non-string candidate', (t) => on(t).rank!(['a'], [['x', null]]), 'INVALID_ARGUMENT', 'candidates[0][1]'],
  ['an empty candidate list', (t) => on(t).rank!(['a', 'b'], [['x'], []]), 'EMPTY_CANDIDATES', 'candidates[1]'],
  ['an unknown option (typo)', (t) => on(t).rank!(['a'], [['x']], { retrunScores: true }), 'UNKNOWN_OPTION', 'options.retrunScores'],
  ['options not an object', (t) => on(t).rank!(['a'], [['x']], 'fast'), 'INVALID_ARGUMENT', 'options'],
  ['a bad strategy', (t) => on(t).rank!(['a'], [['x']], { strategy: 'knockout' }), 'INVALID_OPTION', 'options.strategy'],
  ['a bad aggregate', (t) => on(t).rank!(['a'], [['x']], { aggregate: 'mean' }), 'INVALID_OPTION', 'options.aggregate'],
  ['bubble with returnScores', (t) => on(t).rank!(['a'], [['x']], { strategy: 'bubble', returnScores: true }), 'INVALID_OPTION', 'options.returnScores'],
  ['a seed with strategy full', (t) => on(t).rank!(['a'], [['x']], { seed: 3 }), 'INVALID_OPTION', 'options.seed'],
  ['a fractional seed', (t) => on(t).rank!(['a'], [['x']], { strategy: 'bubble', seed: 0.5 }), 'INVALID_OPTION', 'options.seed'],
  ['batchSize 0', (t) => on(t).rank!(['a'], [['x', 'y']], { batchSize: 0 }), 'INVALID_OPTION', 'options.batchSize'],
  ['batchSize as a string', (t) => on(t).rank!(['a'], [['x', 'y']], { batchSize: '8' }), 'INVALID_OPTION', 'options.batchSize'],
  ['a negative token budget', (t) => on(t).rank!(['a'], [['x', 'y']], { tokenBudget: -1 }), 'INVALID_OPTION', 'options.tokenBudget'],
  ['returnScores not a boolean', (t) => on(t).rank!(['a'], [['x']], { returnScores: 'yes' }), 'INVALID_OPTION', 'options.returnScores'],
  ['instructions of the wrong length', (t) => on(t).rank!(['a', 'b'], [['x'], ['y']], { instructions: ['i'] }), 'LENGTH_MISMATCH', 'options.instructions'],
  ['a non-string instruction', (t) => on(t).rank!(['a'], [['x']], { instructions: [1] }), 'INVALID_ARGUMENT', 'options.instructions[0]'],
  ['onProgress not a function', (t) => on(t).rank!(['a'], [['x']], { onProgress: true }), 'INVALID_OPTION', 'options.onProgress'],
  ['signal not an AbortSignal', (t) => on(t).rank!(['a'], [['x']], { signal: 'stop' }), 'INVALID_OPTION', 'options.signal'],
  ['compare: candidatesA too short', (t) => on(t).compare!(['a', 'b'], ['x'], ['y', 'z']), 'LENGTH_MISMATCH', 'candidatesA'],
  ['compare: a non-string in candidatesB', (t) => on(t).compare!(['a'], ['x'], [{}]), 'INVALID_ARGUMENT', 'candidatesB[0]'],
  ['compare: a bad mode', (t) => on(t).compare!(['a'], ['x'], ['y'], { mode: 'A>B' }), 'INVALID_OPTION', 'options.mode'],
  ['compare: rank options', (t) => on(t).compare!(['a'], ['x'], ['y'], { strategy: 'full' }), 'UNKNOWN_OPTION', 'options.strategy'],
  ['conversations: an odd number of turns', (t) => on(t).compareConversations!([[conv[0]]], [[conv[0]]]), 'INVALID_CONVERSATION', 'conversationsA[0]'],
  [
    'conversations: roles out of order',
    (t) => on(t).compareConversations!([[conv[1], conv[0]]], [[...conv]]),
    'INVALID_CONVERSATION',
    'conversationsA[0][0].role',
  ],
  [
    'conversations: different user turns',
    (t) => on(t).compareConversations!([[...conv]], [[{ role: 'USER', content: 'yo' }, conv[1]]]),
    'INVALID_CONVERSATION',
    'conversationsB[0][0].content',
  ],
  ['conversations: different counts', (t) => on(t).compareConversations!([[...conv]], []), 'LENGTH_MISMATCH', 'conversationsB'],
  [
    'conversations: instructions are not an option there',
    (t) => on(t).compareConversations!([[...conv]], [[...conv]], { instructions: ['x'] }),
    'UNKNOWN_OPTION',
    'options.instructions',
  ],
  ['rankWithRef: a bad ref mode', (t) => on(t).rankWithRef!(['a'], [['x']], { ref: 'middle' }), 'INVALID_OPTION', 'options.ref'],
  ['rankWithRef: explicit refs of the wrong length', (t) => on(t).rankWithRef!(['a'], [['x']], { ref: ['r', 's'] }), 'LENGTH_MISMATCH', 'options.ref'],
  ['rankWithRef: an empty candidate list', (t) => on(t).rankWithRef!(['a'], [[]]), 'EMPTY_CANDIDATES', 'candidates[0]'],
];

export async function expectRejection(target: Ranker, [, call, code, argument]: MalformedCase): Promise<void> {
  const error = await call(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBlenderError(error), `expected a BlenderError, got ${String(error)}`).toBe(true);
  if (!isBlenderError(error)) return;
  expect(error.code).toBe(code);
  expect(error.argument).toBe(argument);
  expect(error.message.length).toBeGreaterThan(10);
}

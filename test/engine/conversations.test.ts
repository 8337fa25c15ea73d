import { describe, expect, it } from 'vitest';
import { CONVERSATION_INSTRUCTION, conversationsToComparisons } from '../../src/engine/conversations';
import { isBlenderError } from '../../src/engine/errors';
import type { Conversation } from '../../src/engine/types';

const a: Conversation = [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: 'hello!' },
  { role: 'USER', content: 'how are you?' },
  { role: 'ASSISTANT', content: 'fine' },
];
const b: Conversation = [
  { role: 'USER', content: 'hi' },
  { role: 'ASSISTANT', content: 'go away' },
  { role: 'USER', content: 'how are you?' },
  { role: 'ASSISTANT', content: 'bad' },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isBlenderError(error) ? error.code : 'NOT_A_BLENDER_ERROR';
  }
  return undefined;
}

describe('conversationsToComparisons', () => {
  it("builds the reference's exact texts (typo included)", () => {
    expect(CONVERSATION_INSTRUCTION).toBe('Finish the following coversation in each i-th turn by filling in <Response i> with your response.');
    expect(conversationsToComparisons([a], [b])).toEqual([
      {
        instruction: CONVERSATION_INSTRUCTION,
        input: 'USER: hi\nAssistant: <Response 1>\nUSER: how are you?\nAssistant: <Response 2>',
        candidateA: '<Response 1>: hello!\n<Response 2>: fine',
        candidateB: '<Response 1>: go away\n<Response 2>: bad',
      },
    ]);
  });

  it('rejects malformed conversations', () => {
    const odd = a.slice(0, 3);
    const swapped: Conversation = [a[1]!, a[0]!];
    const lowercase = [{ role: 'user', content: 'hi' }, a[1]] as unknown as Conversation;
    const differentUser: Conversation = [{ role: 'USER', content: 'hey' }, a[1]!, a[2]!, a[3]!];
    expect(codeOf(() => conversationsToComparisons([odd], [odd]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([swapped], [swapped]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([lowercase], [lowercase]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([a], [differentUser]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([a], [b.slice(0, 2)]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([[]], [[]]))).toBe('INVALID_CONVERSATION');
    expect(codeOf(() => conversationsToComparisons([a, a], [b]))).toBe('LENGTH_MISMATCH');
    expect(codeOf(() => conversationsToComparisons('x' as never, [b]))).toBe('INVALID_ARGUMENT');
  });
});

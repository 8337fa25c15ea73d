import { BlenderError } from './errors';
import type { Conversation } from './types';

/** The reference's instruction, verbatim (its typo "coversation" included: parity). */
export const CONVERSATION_INSTRUCTION = 'Finish the following coversation in each i-th turn by filling in <Response i> with your response.';

/** A conversation pair as a compare() call: one input, two candidates. */
export interface ConversationComparison {
  instruction: string;
  input: string;
  candidateA: string;
  candidateB: string;
}

/**
 * Checks the reference's rules (even turn count, USER on even turns, ASSISTANT on odd turns,
 * same length and identical USER turns on both sides) and builds its exact texts:
 *   input     = per user turn k (1-based): "USER: " + content + "\nAssistant: <Response k>", joined by "\n"
 *   candidate = per assistant turn k: "<Response k>: " + content, joined by "\n"
 */
export function conversationsToComparisons(conversationsA: readonly Conversation[], conversationsB: readonly Conversation[]): ConversationComparison[] {
  checkConversationList(conversationsA, 'conversationsA');
  checkConversationList(conversationsB, 'conversationsB');
  if (conversationsA.length !== conversationsB.length) {
    throw new BlenderError(
      'LENGTH_MISMATCH',
      `conversationsA has ${conversationsA.length} conversations but conversationsB has ${conversationsB.length}`,
      'conversationsB',
    );
  }
  return conversationsA.map((a, index) => {
    const b = conversationsB[index]!;
    if (a.length !== b.length) {
      throw new BlenderError('INVALID_CONVERSATION', `conversation ${index} has ${a.length} turns in A but ${b.length} in B`, `conversationsB[${index}]`);
    }
    for (let turn = 0; turn < a.length; turn += 2) {
      if (a[turn]!.content !== b[turn]!.content) {
        throw new BlenderError(
          'INVALID_CONVERSATION',
          `conversation ${index}: USER turn ${turn} differs between A and B (both must ask the same)`,
          `conversationsB[${index}][${turn}].content`,
        );
      }
    }
    return {
      instruction: CONVERSATION_INSTRUCTION,
      input: userTurnsText(a),
      candidateA: assistantTurnsText(a),
      candidateB: assistantTurnsText(b),
    };
  });
}

function userTurnsText(conversation: Conversation): string {
  const lines: string[] = [];
  for (let turn = 0; turn < conversation.length; turn += 2) {
    lines.push(`USER: ${conversation[turn]!.content}\nAssistant: <Response ${turn / 2 + 1}>`);
  }
  return lines.join('\n');
}

function assistantTurnsText(conversation: Conversation): string {
  const lines: string[] = [];
  for (let turn = 1; turn < conversation.length; turn += 2) {
    lines.push(`<Response ${(turn + 1) / 2}>: ${conversation[turn]!.content}`);
  }
  return lines.join('\n');
}

function checkConversationList(value: unknown, name: string): asserts value is readonly Conversation[] {
  if (!Array.isArray(value)) {
    throw new BlenderError('INVALID_ARGUMENT', `${name} must be an array of conversations`, name);
  }
  value.forEach((conversation: unknown, index) => checkConversation(conversation, `${name}[${index}]`));
}

function checkConversation(value: unknown, name: string): void {
  if (!Array.isArray(value)) {
    throw new BlenderError('INVALID_CONVERSATION', `${name} must be an array of { role, content } turns`, name);
  }
  // The reference accepts zero turns; ours refuses: there is no answer to compare.
  if (value.length === 0 || value.length % 2 !== 0) {
    throw new BlenderError('INVALID_CONVERSATION', `${name} must have a positive, even number of turns (USER, ASSISTANT, ...); it has ${value.length}`, name);
  }
  value.forEach((turn: unknown, index) => {
    const where = `${name}[${index}]`;
    const expected = index % 2 === 0 ? 'USER' : 'ASSISTANT';
    if (typeof turn !== 'object' || turn === null) {
      throw new BlenderError('INVALID_CONVERSATION', `${where} must be a { role, content } object`, where);
    }
    const { role, content } = turn as { role?: unknown; content?: unknown };
    if (role !== expected) {
      throw new BlenderError(
        'INVALID_CONVERSATION',
        `${where}.role must be "${expected}" (turns alternate USER, ASSISTANT); got ${JSON.stringify(role)}`,
        `${where}.role`,
      );
    }
    if (typeof content !== 'string') {
      throw new BlenderError('INVALID_CONVERSATION', `${where}.content must be a string`, `${where}.content`);
    }
  });
}

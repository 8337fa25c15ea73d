import { BlenderError } from './errors';
import type { RefMode } from './types';

export const REF_MODES: readonly RefMode[] = ['longest', 'shortest', 'median_length', 'first', 'last'];

/**
 * The reference text of one candidate list (reference rank_with_ref), by character length
 * (Unicode code points, as Python's len(); first wins a tie):
 * longest / shortest; median_length = stable sort by length, index floor(N/2); first; last.
 */
export function chooseReference(candidates: readonly string[], mode: RefMode): string {
  if (candidates.length === 0) {
    throw new BlenderError('EMPTY_CANDIDATES', 'cannot choose a reference among no candidates', 'candidates');
  }
  switch (mode) {
    case 'longest':
      return candidates.reduce((best, c) => (codePoints(c) > codePoints(best) ? c : best));
    case 'shortest':
      return candidates.reduce((best, c) => (codePoints(c) < codePoints(best) ? c : best));
    case 'median_length': {
      const sorted = [...candidates].sort((a, b) => codePoints(a) - codePoints(b));
      return sorted[Math.floor(sorted.length / 2)]!;
    }
    case 'first':
      return candidates[0]!;
    case 'last':
      return candidates[candidates.length - 1]!;
  }
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

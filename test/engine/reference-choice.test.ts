import { describe, expect, it } from 'vitest';
import { chooseReference } from '../../src/engine/reference-choice';

describe('chooseReference', () => {
  const list = ['bb', 'a', 'dddd', 'cc', 'eeee'];
  it('longest and shortest by length, first wins a tie', () => {
    expect(chooseReference(list, 'longest')).toBe('dddd');
    expect(chooseReference(list, 'shortest')).toBe('a');
    expect(chooseReference(['xx', 'yy'], 'shortest')).toBe('xx');
  });
  it('median_length: stable sort by length, index floor(N/2)', () => {
    // sorted: a, bb, cc, dddd, eeee -> index 2
    expect(chooseReference(list, 'median_length')).toBe('cc');
    // sorted: a, bb, cc, dddd -> index 2
    expect(chooseReference(['dddd', 'bb', 'a', 'cc'], 'median_length')).toBe('cc');
  });
  it('first and last', () => {
    expect(chooseReference(list, 'first')).toBe('bb');
    expect(chooseReference(list, 'last')).toBe('eeee');
  });
  it('counts code points like Python len(), not UTF-16 units', () => {
    // '😀😀' is 2 code points (4 UTF-16 units), 'abc' is 3
    expect(chooseReference(['😀😀', 'abc'], 'longest')).toBe('abc');
  });
});

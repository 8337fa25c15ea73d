import { describe, expect, it } from 'vitest';
import { PRESETS, splitPasted } from '../../src/demo/presets';

describe('splitPasted', () => {
  it('splits on blank lines (spaces allowed), keeps single line breaks, drops empty parts', () => {
    expect(splitPasted('one\n\ntwo\nlines\n \t\nthree\r\n\r\n\n\n')).toEqual(['one', 'two\nlines', 'three']);
    expect(splitPasted('  \n\n ')).toEqual([]);
  });
});

describe('PRESETS', () => {
  it('the README examples, each with candidates to compare', () => {
    expect(PRESETS[0]).toMatchObject({ input: 'hello, how are you!', candidates: ['get out!', 'hi! I am fine, thanks!', 'bye!'] });
    for (const preset of PRESETS) expect(preset.candidates.length).toBeGreaterThanOrEqual(2);
  });
});

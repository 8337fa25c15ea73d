import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from '../../src/datasets/csv';

const fields = (text: string) => parseCsv(text).records.map((record) => record.fields);

describe('parseCsv', () => {
  it('reads plain rows, CRLF or LF, with or without a final line end', () => {
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads commas, doubled quotes and line breaks inside quoted fields', () => {
    const text = 'input,a\n"hello, world","she said ""hi""\nthen left"\nnext,"x"\n';
    const { records, error } = parseCsv(text);
    expect(error).toBeNull();
    expect(records.map((record) => record.fields)).toEqual([
      ['input', 'a'],
      ['hello, world', 'she said "hi"\nthen left'],
      ['next', 'x'],
    ]);
    // The record after a two-line field starts on line 4.
    expect(records.map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('keeps empty fields, skips blank lines and a byte order mark', () => {
    expect(fields('\uFEFFa,,c\n\n,\n')).toEqual([
      ['a', '', 'c'],
      ['', ''],
    ]);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(fields('5" screen,ok\n')).toEqual([['5" screen', 'ok']]);
  });

  it('reports a quoted field that never closes, with its line, and keeps the records before it', () => {
    const { records, error } = parseCsv('a,b\n1,2\n3,"open\n4,5\n');
    expect(records.map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(error).toEqual({ line: 3, message: 'line 3: a quoted field opens here and never closes' });
  });
});

describe('toCsv', () => {
  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
  });

  it('round-trips through parseCsv', () => {
    const rows = [
      ['row', 'text'],
      ['1', 'commas, "quotes" and\r\nline breaks'],
      ['2', ''],
      ['3', '<img src=x onerror=alert(1)>'],
    ];
    const text = toCsv(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(fields(text)).toEqual(rows);
  });
});

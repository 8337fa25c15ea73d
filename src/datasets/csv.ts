// CSV as RFC 4180 writes it: comma-separated, fields quoted with double quotes when they hold
// a comma, a quote (doubled) or a line break. Parsing is lenient where spreadsheets are
// (a stray quote inside an unquoted field is kept as text, CRLF or LF line ends, a BOM),
// and strict where data would be lost silently (a quoted field that never closes).

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts (a quoted field can span lines). */
  line: number;
}

export interface CsvParse {
  records: CsvRecord[];
  /** Set when the file could not be read to its end; `records` holds what came before. */
  error: { line: number; message: string } | null;
}

/** Records of a CSV text; blank lines are skipped. */
export function parseCsv(text: string): CsvParse {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < source.length) {
    const char = source[i]!;
    if (char === '"' && field === '') {
      // A quoted field: up to the closing quote; "" is one quote; line breaks are content.
      const openedAt = line;
      i++;
      let closed = false;
      while (i < source.length) {
        const inner = source[i]!;
        if (inner === '"') {
          if (source[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (inner === '\n') line++;
        field += inner;
        i++;
      }
      if (!closed) {
        return { records, error: { line: openedAt, message: `line ${openedAt}: a quoted field opens here and never closes` } };
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && source[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += char;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records, error: null };
}

/** One field as CSV: quoted when it holds a separator, a quote, a line break or edge spaces. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV text with CRLF line ends (RFC 4180; spreadsheets read it everywhere). */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

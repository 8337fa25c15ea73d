// A batch file read into rows the ranker can run: JSON Lines, a JSON array or CSV; ranking
// rows {instruction?, input, candidates} (candidates a list of texts, an object of model to
// text, or MixInstruct's [{model, text, scores?}] with the row's id, output and cmp_results)
// or A/B pairs {instruction?, input, a, b}. A row that cannot run becomes a BadRow naming its
// place and field; the other rows still run.
import { BlenderError } from '../engine/errors';
import { parseCsv, type CsvRecord } from './csv';
import { arrayElementLines } from './json-array';
import { isFieldError, readCandidateObjects, readCmpResults, readId, type MixInstructFields } from './mixinstruct';

export type BatchKind = 'rank' | 'pair';
export type BatchFormat = 'jsonl' | 'json' | 'csv';

/** Where a row sits: its 1-based number among the file's data rows, and its first line. */
export interface RowPlace {
  row: number;
  line: number;
}

export interface RankRow extends RowPlace, MixInstructFields {
  kind: 'rank';
  instruction: string;
  input: string;
  candidates: string[];
  /** The model (column) of each candidate: header or JSON key names, else "candidate N". */
  models: string[];
}

export interface PairRow extends RowPlace {
  kind: 'pair';
  instruction: string;
  input: string;
  a: string;
  b: string;
}

export type BatchRow = RankRow | PairRow;

export interface BadRow extends RowPlace {
  /** The field at fault (`input`, `candidates[2]`, a CSV column), or null for the whole row. */
  field: string | null;
  message: string;
}

export interface BatchFile {
  format: BatchFormat;
  kind: BatchKind;
  /** Candidate columns in order of first appearance (`a`, `b` for pairs). */
  models: string[];
  /** Whether the file names its models (CSV header, JSON keys) rather than by position. */
  named: boolean;
  rows: BatchRow[];
  bad: BadRow[];
}

/** Minimum candidates per ranking row: a ranking of one says nothing. */
export const MIN_CANDIDATES = 2;

/** "row 3 (line 4), field "input": is missing". */
export function describeBadRow(bad: BadRow): string {
  return `row ${bad.row} (line ${bad.line})${bad.field ? `, field "${bad.field}"` : ''}: ${bad.message}`;
}

/**
 * Reads a batch file: CSV by extension (`.csv`); otherwise a text whose first character is
 * `[` is one JSON array of rows, `{` JSON Lines, anything else CSV.
 */
export function parseBatchFile(fileName: string, text: string): BatchFile {
  if (text.trim() === '') throw new BlenderError('INVALID_ARGUMENT', `${fileName || 'the file'} is empty`, 'file');
  const format = detectFormat(fileName, text);
  return format === 'csv' ? parseCsvBatch(text) : format === 'json' ? parseJsonArrayBatch(text, fileName) : parseJsonlBatch(text);
}

export function detectFormat(fileName: string, text: string): BatchFormat {
  if (/\.csv$/i.test(fileName)) return 'csv';
  const first = text.replace(/^[\s\uFEFF]+/, '')[0];
  if (first === '[') return 'json';
  if (first === '{' || /\.(jsonl|ndjson|json)$/i.test(fileName)) return 'jsonl';
  return 'csv';
}

/**
 * One JSON Lines line (or one element of a JSON array, as text) read as a row: a ranking
 * row, an A/B pair, or a BadRow. What `parseBatchFile` does per line, for callers that read
 * a file as a stream (the eval command).
 */
export function readJsonLine(source: string, place: RowPlace): BatchRow | BadRow {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return { ...place, field: null, message: `is not valid JSON (${(error as Error).message})` };
  }
  const parsed = readJsonRow(value, place);
  return 'message' in parsed ? parsed : parsed.row;
}

/** Collects rows, bad rows and model names while a file is read. */
class RowCollector {
  readonly rows: BatchRow[] = [];
  readonly bad: BadRow[] = [];
  readonly models: string[] = [];
  kind: BatchKind | null = null;

  fail(place: RowPlace, field: string | null, message: string): void {
    this.bad.push({ ...place, field, message });
  }

  /** Keeps the row when it is of the file's kind (the first row's). */
  accept(row: BatchRow): void {
    this.kind ??= row.kind;
    if (row.kind !== this.kind) {
      const kinds = { rank: 'a ranking row (candidates)', pair: 'an A/B pair (a, b)' };
      this.fail(row, null, `is ${kinds[row.kind]}, but the file's first row is ${kinds[this.kind]}; a file holds one kind`);
      return;
    }
    const names = row.kind === 'rank' ? row.models : ['a', 'b'];
    for (const name of names) if (!this.models.includes(name)) this.models.push(name);
    this.rows.push(row);
  }
}

function parseJsonlBatch(text: string): BatchFile {
  const collector = new RowCollector();
  let named = false;
  let row = 0;
  text.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === '') return;
    row++;
    const place = { row, line: index + 1 };
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      collector.fail(place, null, `is not valid JSON (${(error as Error).message})`);
      return;
    }
    const parsed = readJsonRow(value, place);
    if ('message' in parsed) {
      collector.bad.push(parsed);
      return;
    }
    if (parsed.kind === 'rank' && parsed.named) named = true;
    collector.accept(parsed.row);
  });
  return { format: 'jsonl', kind: collector.kind ?? 'rank', models: collector.models, named, rows: collector.rows, bad: collector.bad };
}

function parseJsonArrayBatch(text: string, fileName: string): BatchFile {
  let values: unknown;
  try {
    values = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BlenderError('INVALID_ARGUMENT', `${fileName || 'the file'} starts with "[" but is not valid JSON (${(error as Error).message})`, 'file');
  }
  if (!Array.isArray(values)) throw new BlenderError('INVALID_ARGUMENT', `${fileName || 'the file'} is not a JSON array of rows`, 'file');
  const lines = arrayElementLines(text);
  const collector = new RowCollector();
  let named = false;
  values.forEach((value: unknown, index) => {
    const parsed = readJsonRow(value, { row: index + 1, line: lines[index] ?? 1 });
    if ('message' in parsed) {
      collector.bad.push(parsed);
      return;
    }
    if (parsed.kind === 'rank' && parsed.named) named = true;
    collector.accept(parsed.row);
  });
  return { format: 'json', kind: collector.kind ?? 'rank', models: collector.models, named, rows: collector.rows, bad: collector.bad };
}

type JsonRowResult = { kind: BatchKind; named: boolean; row: BatchRow } | BadRow;

function readJsonRow(value: unknown, place: RowPlace): JsonRowResult {
  const bad = (field: string | null, message: string): BadRow => ({ ...place, field, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(null, 'is not a JSON object');
  const record = value as Record<string, unknown>;
  const instruction = record.instruction ?? '';
  if (typeof instruction !== 'string') return bad('instruction', 'must be a string');
  if (!('input' in record)) return bad('input', 'is missing');
  const { input } = record;
  if (typeof input !== 'string') return bad('input', 'must be a string');

  const aKey = 'a' in record ? 'a' : 'candidateA' in record ? 'candidateA' : null;
  const bKey = 'b' in record ? 'b' : 'candidateB' in record ? 'candidateB' : null;
  if (!('candidates' in record) && (aKey || bKey)) {
    if (!aKey) return bad('a', 'is missing (an A/B pair needs a and b)');
    if (!bKey) return bad('b', 'is missing (an A/B pair needs a and b)');
    const a = record[aKey];
    const b = record[bKey];
    if (typeof a !== 'string') return bad(aKey, 'must be a string');
    if (typeof b !== 'string') return bad(bKey, 'must be a string');
    return { kind: 'pair', named: false, row: { kind: 'pair', ...place, instruction, input, a, b } };
  }

  const { candidates } = record;
  if (candidates === undefined) return bad('candidates', 'is missing (or give an A/B pair: a, b)');
  let texts: unknown[];
  let models: string[];
  let named: boolean;
  if (Array.isArray(candidates) && candidates.some((item) => typeof item === 'object' && item !== null)) {
    return readMixInstructRow(record, candidates, instruction, input, place);
  } else if (Array.isArray(candidates)) {
    texts = candidates;
    models = candidates.map((_, i) => `candidate ${i + 1}`);
    named = false;
  } else if (typeof candidates === 'object' && candidates !== null) {
    models = Object.keys(candidates);
    texts = Object.values(candidates);
    named = true;
  } else {
    return bad('candidates', 'must be a list of strings, or an object of model name to string');
  }
  const wrong = texts.findIndex((text) => typeof text !== 'string');
  if (wrong >= 0) return bad(named ? `candidates.${models[wrong]}` : `candidates[${wrong}]`, 'must be a string');
  if (texts.length < MIN_CANDIDATES) return bad('candidates', `has ${texts.length}; ranking needs at least ${MIN_CANDIDATES}`);
  return { kind: 'rank', named, row: { kind: 'rank', ...place, instruction, input, candidates: texts as string[], models } };
}

/** A row whose candidates are objects {model, text, scores?}: MixInstruct's layout. */
function readMixInstructRow(record: Record<string, unknown>, list: unknown[], instruction: string, input: string, place: RowPlace): JsonRowResult {
  const bad = (field: string | null, message: string): BadRow => ({ ...place, field, message });
  const read = readCandidateObjects(list);
  if (isFieldError(read)) return bad(read.field, read.message);
  if (read.texts.length < MIN_CANDIDATES) return bad('candidates', `has ${read.texts.length}; ranking needs at least ${MIN_CANDIDATES}`);
  const row: RankRow = { kind: 'rank', ...place, instruction, input, candidates: read.texts, models: read.models };
  if (record.id !== undefined) {
    const id = readId(record.id);
    if (isFieldError(id)) return bad(id.field, id.message);
    row.id = id;
  }
  if (record.output !== undefined && record.output !== null) {
    if (typeof record.output !== 'string') return bad('output', 'must be a string (the reference answer)');
    row.reference = record.output;
  }
  if (read.hasMetrics) row.metrics = read.metrics;
  if (record.cmp_results !== undefined && record.cmp_results !== null) {
    const judgements = readCmpResults(record.cmp_results, read.models);
    if (isFieldError(judgements)) return bad(judgements.field, judgements.message);
    row.judgements = judgements;
  }
  return { kind: 'rank', named: list.some((item) => (item as Record<string, unknown>).model !== undefined), row };
}

function parseCsvBatch(text: string): BatchFile {
  const { records, error } = parseCsv(text);
  const [header, ...data] = records;
  if (!header) throw new BlenderError('INVALID_ARGUMENT', error?.message ?? 'the CSV file has no header row', 'file');
  const columns = uniqueNames(header.fields.map((name, i) => name.trim() || `column ${i + 1}`));
  const lower = columns.map((name) => name.toLowerCase());
  const inputAt = lower.indexOf('input');
  if (inputAt < 0) {
    throw new BlenderError('INVALID_ARGUMENT', `the CSV header (line ${header.line}) has no "input" column: ${columns.join(', ')}`, 'file');
  }
  const instructionAt = lower.indexOf('instruction');
  const rest = columns.map((_, i) => i).filter((i) => i !== inputAt && i !== instructionAt);
  const restNames = rest.map((i) => lower[i]);
  const pairColumns = ['a', 'b'].every((name) => restNames.includes(name))
    ? ['a', 'b']
    : ['candidatea', 'candidateb'].every((name) => restNames.includes(name))
      ? ['candidatea', 'candidateb']
      : null;
  const isPair = pairColumns !== null && rest.length === 2;
  if (!isPair && rest.length < MIN_CANDIDATES) {
    throw new BlenderError(
      'INVALID_ARGUMENT',
      `the CSV header (line ${header.line}) names ${rest.length} candidate column(s); ranking needs at least ${MIN_CANDIDATES} (or columns input, a, b for A/B pairs)`,
      'file',
    );
  }

  const collector = new RowCollector();
  data.forEach((record, index) => {
    const place = { row: index + 1, line: record.line };
    if (record.fields.length !== columns.length) {
      collector.fail(place, null, `has ${record.fields.length} fields, the header has ${columns.length}`);
      return;
    }
    const row = isPair ? csvPairRow(record, place, columns, lower, pairColumns) : csvRankRow(record, place, columns, rest);
    if ('message' in row) collector.bad.push(row);
    else collector.accept(row);
  });
  if (error) {
    const place = { row: data.length + 1, line: error.line };
    collector.fail(place, null, `${error.message}; the rest of the file could not be read`);
  }

  function csvRankRow(record: CsvRecord, place: RowPlace, names: string[], candidateColumns: number[]): RankRow | BadRow {
    const present = candidateColumns.filter((i) => record.fields[i] !== '');
    if (present.length < MIN_CANDIDATES) {
      return { ...place, field: null, message: `has ${present.length} non-empty candidate cell(s); ranking needs at least ${MIN_CANDIDATES}` };
    }
    return {
      kind: 'rank',
      ...place,
      instruction: instructionAt >= 0 ? record.fields[instructionAt]! : '',
      input: record.fields[inputAt]!,
      candidates: present.map((i) => record.fields[i]!),
      models: present.map((i) => names[i]!),
    };
  }

  function csvPairRow(record: CsvRecord, place: RowPlace, names: string[], lowerNames: string[], pair: string[]): PairRow | BadRow {
    const [a, b] = pair.map((name) => record.fields[lowerNames.indexOf(name)]!) as [string, string];
    const emptyAt = a === '' ? 0 : b === '' ? 1 : -1;
    if (emptyAt >= 0) return { ...place, field: names[lowerNames.indexOf(pair[emptyAt]!)]!, message: 'is empty' };
    const instruction = instructionAt >= 0 ? record.fields[instructionAt]! : '';
    return { kind: 'pair', ...place, instruction, input: record.fields[inputAt]!, a, b };
  }

  const kind: BatchKind = isPair ? 'pair' : 'rank';
  // Every candidate column, in header order, even one that is empty in every row.
  const models = isPair ? ['a', 'b'] : rest.map((i) => columns[i]!);
  return { format: 'csv', kind, models, named: !isPair, rows: collector.rows, bad: collector.bad };
}

/** Header names made unique: a repeated name gets " (2)", " (3)", ... */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

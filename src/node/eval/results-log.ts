// The ordered, resumable side of `eval`: the results file (one line per row that ran, in file
// order) and the files written beside it (rejects, preference pairs), each line carrying its
// row number. A chunk's lines go out rejects first, then pairs, then results; so after a
// crash every row up to the last complete result line has its rejects and pairs on disk, and
// --resume continues after that row: results are cut after their last complete line (a torn
// tail dropped), the side files after their last line of a row up to it. Nothing here ranks,
// so a queue's producer can keep a results file the same way.
import type { BadRow, RankRow } from '../../datasets/batch-rows';
import { JsonlAppender, readCompleteLines } from './jsonl-file';
import type { EvalRecord } from './rank-rows';

export interface ResumePoint {
  /** Results already on disk, by row number. */
  done: Map<number, EvalRecord>;
  /** The last complete row (0 when starting afresh): rows up to it are never ranked again. */
  lastRow: number;
  /** The torn last line that was dropped, or null. */
  torn: string | null;
}

export const FRESH_START: ResumePoint = { done: new Map(), lastRow: 0, torn: null };

/** Opens the results file: afresh, or (resume) after its last complete row. */
export function openResults(path: string, resume: boolean): { appender: JsonlAppender; point: ResumePoint } {
  if (!resume) return { appender: new JsonlAppender(path, null), point: { done: new Map(), lastRow: 0, torn: null } };
  const { values, ends, torn } = readCompleteLines(path);
  const done = new Map<number, EvalRecord>();
  let lastRow = 0;
  values.forEach((value, index) => {
    if (!isRecord(value)) throw new Error(`${path}: line ${index + 1} is not an eval result ({"row", "ranks", ...}); cannot resume from it`);
    if (value.row <= lastRow) throw new Error(`${path}: line ${index + 1} (row ${value.row}) is out of order; cannot resume from it`);
    done.set(value.row, value);
    lastRow = value.row;
  });
  return { appender: new JsonlAppender(path, ends.at(-1) ?? 0), point: { done, lastRow, torn } };
}

/** Opens a side file (rejects, pairs): afresh, or kept up to its last line of a row <= lastRow. */
export function openSideFile(path: string, resume: boolean, lastRow: number): JsonlAppender {
  if (!resume) return new JsonlAppender(path, null);
  const { values, ends } = readCompleteLines(path);
  let keep = 0;
  values.forEach((value, index) => {
    const row = (value as { row?: unknown }).row;
    if (typeof row === 'number' && row <= lastRow) keep = ends[index]!;
  });
  return new JsonlAppender(path, keep);
}

function isRecord(value: unknown): value is EvalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<EvalRecord>;
  return Number.isInteger(record.row) && Array.isArray(record.ranks) && Array.isArray(record.models) && record.ranks.length === record.models.length;
}

/** A bad row as a line of the rejects file. */
export function rejectLine(bad: BadRow): { row: number; line: number; field: string | null; message: string } {
  return { row: bad.row, line: bad.line, field: bad.field, message: bad.message };
}

/** A result found on disk must be of the row the file has there (same models), or resuming mixes runs. */
export function checkResumed(row: RankRow, record: EvalRecord): EvalRecord {
  if (record.models.join('\u0000') !== row.models.join('\u0000')) {
    throw new Error(
      `the results file's row ${row.row} ranks models ${record.models.join(', ')} but the input's row ${row.row} has ${row.models.join(', ')}: ` +
        'it was written from another file or with other --models; resume with the same input and options',
    );
  }
  return record;
}

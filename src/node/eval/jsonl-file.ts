// Append-only JSON Lines files that survive a crash: each write is whole lines in one
// write(2), so a kill loses only what was not yet written, and a torn last line (a crash in
// the middle of a write, a full disk) is found and cut off on resume. fsync runs at most every
// `syncEverySeconds` and on close, so the OS's copy reaches the disk without syncing per row.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface CompleteLines {
  /** The complete lines, parsed, in order. */
  values: unknown[];
  /** Where each complete line ends (its byte offset after the newline). */
  ends: number[];
  /** The torn last line's text, or null when the file ends with a newline (or is empty). */
  torn: string | null;
}

/**
 * The complete lines of a JSON Lines file. A last line without its newline, or one that does
 * not parse, is torn; a line that does not parse anywhere else is an error (the file is not
 * one this command wrote).
 */
export function readCompleteLines(path: string): CompleteLines {
  if (!existsSync(path)) return { values: [], ends: [], torn: null };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const text = bytes.subarray(0, end).toString('utf8');
  const values: unknown[] = [];
  const ends: number[] = [];
  let torn: string | null = end < bytes.length ? bytes.subarray(end).toString('utf8') : null;
  const lines = text.split('\n').slice(0, -1);
  let offset = 0;
  lines.forEach((line, index) => {
    offset += Buffer.byteLength(line, 'utf8') + 1;
    try {
      values.push(JSON.parse(line));
      ends.push(offset);
    } catch {
      if (index < lines.length - 1 || torn !== null) {
        throw new Error(`${path}: line ${index + 1} is not JSON; it is not a results file this command wrote, or it was edited`);
      }
      // The last newline-terminated line does not parse: a torn write that happened to end in "\n".
      torn = line;
    }
  });
  return { values, ends, torn };
}

export class JsonlAppender {
  private readonly fd: number;
  private position = 0;
  private lastSync = Date.now();
  private dirty = false;

  /**
   * Opens `path` for appending. `keepBytes`: when resuming, the file is cut to that many
   * bytes first (dropping a torn tail); otherwise it is emptied.
   */
  constructor(
    readonly path: string,
    keepBytes: number | null,
    private readonly syncEverySeconds = 2,
  ) {
    this.fd = openSync(path, keepBytes === null ? 'w' : existsSync(path) ? 'r+' : 'w');
    if (keepBytes !== null) {
      ftruncateSync(this.fd, keepBytes);
      this.position = keepBytes;
    }
  }

  /** Writes the values as lines in one write; syncs when the last sync is old enough. */
  append(values: readonly unknown[]): void {
    if (values.length === 0) return;
    const text = values.map((value) => JSON.stringify(value) + '\n').join('');
    const buffer = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written, this.position + written);
    this.position += buffer.length;
    this.dirty = true;
    if (Date.now() - this.lastSync >= this.syncEverySeconds * 1000) this.sync();
  }

  sync(): void {
    if (!this.dirty) return;
    fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = Date.now();
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }
}

// The eval command's rows, in file order, through the parser the demo shares
// (src/datasets/batch-rows.ts). JSON Lines are read as a stream (a large file never sits in
// memory); a JSON array or CSV is read whole. A/B pair rows become rankings of two
// candidates (models "a" and "b"); --models keeps only those models' candidates; --limit stops
// after that many data rows. Every row either can run or is a bad row naming its line and field.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { MIN_CANDIDATES, detectFormat, parseBatchFile, readJsonLine, type BadRow, type BatchRow, type RankRow } from '../../datasets/batch-rows';

export type EvalInputItem = { kind: 'row'; row: RankRow } | { kind: 'bad'; bad: BadRow };

export interface EvalInputOptions {
  limit?: number | undefined;
  models?: readonly string[] | undefined;
}

/** Rows of the file, in order. */
export async function* readEvalInput(path: string, options: EvalInputOptions = {}): AsyncGenerator<EvalInputItem> {
  let count = 0;
  for await (const item of rawItems(path)) {
    if (options.limit !== undefined && count >= options.limit) return;
    count++;
    yield item.kind === 'bad' ? item : prepare(item.row, options.models);
  }
}

/** How many data rows `readEvalInput` will give (for progress and ETA): a quick pass over the file. */
export async function countEvalRows(path: string, limit?: number): Promise<number> {
  let count = 0;
  for await (const _item of rawItems(path)) {
    count++;
    if (limit !== undefined && count >= limit) break;
  }
  return count;
}

type RawItem = { kind: 'row'; row: BatchRow } | { kind: 'bad'; bad: BadRow };

async function* rawItems(path: string): AsyncGenerator<RawItem> {
  const head = await readHead(path);
  if (detectFormat(path, head) === 'jsonl') {
    yield* jsonLines(path);
    return;
  }
  const batch = parseBatchFile(path, await readFile(path, 'utf8'));
  // The parser lists bad rows apart; put them back in file order. A row of the other kind
  // than the file's first (a pair among rankings) is a bad row there, and one here too.
  const items: RawItem[] = [...batch.rows.map((row) => ({ kind: 'row' as const, row })), ...batch.bad.map((bad) => ({ kind: 'bad' as const, bad }))];
  items.sort((x, y) => placeOf(x) - placeOf(y));
  yield* items;
}

const placeOf = (item: RawItem) => (item.kind === 'row' ? item.row.row : item.bad.row);

async function* jsonLines(path: string): AsyncGenerator<RawItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let row = 0;
  for await (const text of lines) {
    line++;
    const source = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (source.trim() === '') continue;
    row++;
    const parsed = readJsonLine(source, { row, line });
    yield 'message' in parsed ? { kind: 'bad', bad: parsed } : { kind: 'row', row: parsed };
  }
}

async function readHead(path: string): Promise<string> {
  const stream = createReadStream(path, { encoding: 'utf8', start: 0, end: 4095 });
  let head = '';
  for await (const chunk of stream) head += chunk as string;
  return head;
}

/** A row ready to rank: pairs as two-candidate rankings, candidates filtered by --models. */
function prepare(row: BatchRow, models: readonly string[] | undefined): EvalInputItem {
  const ranked: RankRow =
    row.kind === 'rank'
      ? row
      : { kind: 'rank', row: row.row, line: row.line, instruction: row.instruction, input: row.input, candidates: [row.a, row.b], models: ['a', 'b'] };
  if (models === undefined) return { kind: 'row', row: ranked };
  const keep = ranked.models.map((model, i) => (models.includes(model) ? i : -1)).filter((i) => i >= 0);
  if (keep.length < MIN_CANDIDATES) {
    const message = `has ${keep.length} candidate(s) from --models ${models.join(',')} (its models: ${ranked.models.join(', ')}); ranking needs at least ${MIN_CANDIDATES}`;
    return { kind: 'bad', bad: { row: ranked.row, line: ranked.line, field: 'candidates', message } };
  }
  const kept = new Set(keep.map((i) => ranked.models[i]!));
  const filtered: RankRow = { ...ranked, candidates: keep.map((i) => ranked.candidates[i]!), models: keep.map((i) => ranked.models[i]!) };
  if (ranked.metrics) filtered.metrics = keep.map((i) => ranked.metrics![i]!);
  if (ranked.judgements) filtered.judgements = ranked.judgements.filter((j) => kept.has(j.a) && kept.has(j.b));
  return { kind: 'row', row: filtered };
}

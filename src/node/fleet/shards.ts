// The file's rows cut into shards on a fixed grid of row numbers: shard k holds rows
// k*size+1 .. (k+1)*size. The grid depends only on the shard size, so a producer restarted
// with --resume names the same jobs again and finds those already done or in progress.
// The caller leaves out rows already written (up to the resume point); a bad row stays in
// its shard so it is reported in file order with the rows around it.
import type { BadRow, RankRow } from '../../datasets/batch-rows';
import type { EvalInputItem } from '../eval/eval-input';

export interface Shard {
  /** Grid cell: rows gridFirst..gridLast. */
  gridFirst: number;
  gridLast: number;
  /** Rows of this shard that run (file order), and those the parser refused. */
  rows: RankRow[];
  bad: BadRow[];
}

export function gridCell(row: number, size: number): { gridFirst: number; gridLast: number } {
  const index = Math.floor((row - 1) / size);
  return { gridFirst: index * size + 1, gridLast: (index + 1) * size };
}

/** Groups items into shards, in file order. */
export async function* shardsOf(items: AsyncIterable<EvalInputItem>, size: number): AsyncGenerator<Shard> {
  let current: Shard | null = null;
  for await (const item of items) {
    const row = item.kind === 'row' ? item.row.row : item.bad.row;
    const cell = gridCell(row, size);
    if (current !== null && current.gridFirst !== cell.gridFirst) {
      yield current;
      current = null;
    }
    current ??= { ...cell, rows: [], bad: [] };
    if (item.kind === 'row') current.rows.push(item.row);
    else current.bad.push(item.bad);
  }
  if (current !== null) yield current;
}

/**
 * Right-padding of token rows into one batch, for every model that takes int64 ids and an
 * attention mask (the ranker's pair rows, the fuser's prompts). Padding goes at the end with
 * mask 0, where neither model lets it change the outputs at real positions.
 */
export interface PaddedRows {
  ids: BigInt64Array;
  mask: BigInt64Array;
  /** The padded length of every row. */
  width: number;
}

/** Rows padded with `padId` to `width` (default: the longest row, at least 1). */
export function padRows(rows: readonly (readonly number[])[], padId: number, width = Math.max(1, ...rows.map((row) => row.length))): PaddedRows {
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    row.forEach((id, t) => {
      ids[r * width + t] = BigInt(id);
      mask[r * width + t] = 1n;
    });
  });
  return { ids, mask, width };
}

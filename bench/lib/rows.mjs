// Synthetic PairRM rows of exact lengths: the same ids for every runtime (Node, Chromium,
// PyTorch), so their timings and logits compare like for like. Layout as the engine builds
// real pairs: [CLS, <|source|>] ids [SEP] [CLS, <|candidate1|>] ids [SEP] [CLS, <|candidate2|>] ids [SEP].

/** A small seeded generator (xorshift32): rows depend only on their seed. */
function generator(seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/**
 * One row with a source segment of `source` tokens and two candidate segments of
 * `candidate` tokens each (specials included): `source + 2 * candidate` tokens in all.
 * Content ids are ordinary tokens of the tokenizer (the tiny vocabulary the large preset
 * ships with), never a special or marker id.
 */
export function pairRow(config, source, candidate, seed) {
  const next = generator(seed);
  const markers = [config.source_prefix_id, config.cand1_prefix_id, config.cand2_prefix_id];
  const lowestSpecial = Math.min(...markers) - 1;
  const ordinary = () => 4 + (next() % Math.min(lowestSpecial - 4, 2000));
  const segment = (marker, length) => [config.cls_token_id, marker, ...Array.from({ length: length - 3 }, ordinary), config.sep_token_id];
  return [...segment(markers[0], source), ...segment(markers[1], candidate), ...segment(markers[2], candidate)];
}

/** `batch` distinct rows of one shape (seeds differ per row, the same on every runtime). */
export function pairRows(config, source, candidate, batch) {
  return Array.from({ length: batch }, (_, k) => pairRow(config, source, candidate, 1000 * source + 10 * candidate + k + 1));
}

/** Flat int64 ids and mask for rows right-padded with `padId` to `length`. */
export function packRows(rows, length, padId) {
  const ids = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * length);
  rows.forEach((row, r) => {
    row.forEach((id, t) => {
      ids[r * length + t] = BigInt(id);
      mask[r * length + t] = 1n;
    });
  });
  return { ids, mask };
}

/**
 * An exact cache of pair logits for one RankingEngine (one model, variant and backend).
 * A pair's logit never depends on its batch (src/engine/pair-scorer.ts), so a row already
 * run gives the same float32 logit again: it need not run twice, within a call or across
 * calls. The key is the row's ids themselves (no hash), so two different rows can never
 * share an entry. Least recently used entries go first once `capacity` entries are held.
 */

/** What info() reports about a ranker's pair cache. */
export interface PairCacheInfo {
  /** Entries held now. */
  size: number;
  /** Most entries held (createBlender's `pairCache`); 0 = off. */
  capacity: number;
  /** Pair rows found in the cache (not run) since the blender was created. */
  hits: number;
  /** Pair rows looked up and not found (run, then stored). */
  misses: number;
}

/**
 * Entries held by default. Memory per entry, measured in Node 20 (V8 heap after gc, 10 000
 * entries of rowKey strings): 0.75 KB for rows of 330 ids all below 32768 (a 64-token source
 * and two 128-token candidates in common words), 1.2 KB for 330 ids spread over PairRM's 128k
 * vocabulary, 8.3 KB at worst (2048 ids, all above 32767). So 10 000 entries take 8-12 MB in
 * typical use and 83 MB at the very worst, small beside the model itself (hundreds of MB),
 * and hold every ordered pair of 100 candidates, or of a batch file's 800 inputs of 4.
 */
export const DEFAULT_PAIR_CACHE_SIZE = 10_000;

export class PairCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the LRU.
  private readonly entries = new Map<string, number>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** The logit stored for a key from {@link rowKey}, counting a hit or a miss. */
  get(key: string): number | undefined {
    const logit = this.entries.get(key);
    if (logit === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, logit);
    return logit;
  }

  set(key: string, logit: number): void {
    if (!this.enabled) return;
    this.entries.delete(key);
    this.entries.set(key, logit);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Empties the cache and its counts (the page's warm-up run is the load's, not the caller's). */
  clear(): void {
    this.entries.clear();
    this.hits = 0;
    this.misses = 0;
  }

  info(): PairCacheInfo {
    return { size: this.entries.size, capacity: this.capacity, hits: this.hits, misses: this.misses };
  }
}

/**
 * A row's ids as a string that no other row gives: an id below 2^15 is one UTF-16 code
 * unit (high bit clear), a larger one (below 2^30) two, the first with the high bit set.
 * The code is prefix-free, so the string decodes to exactly one id sequence. Vocabularies
 * are far below 2^30 (PairRM's DeBERTa-v3: 128k).
 */
export function rowKey(row: readonly number[]): string {
  const units: number[] = [];
  for (const id of row) {
    if (!(id >= 0 && id < 0x40000000)) throw new RangeError(`token id ${id} is outside [0, 2^30): the pair cache cannot key it`);
    if (id < 0x8000) units.push(id);
    else units.push(0x8000 | (id >>> 15), id & 0x7fff);
  }
  // Chunked: String.fromCharCode takes its units as arguments, and arguments are limited.
  let key = '';
  for (let start = 0; start < units.length; start += 4096) key += String.fromCharCode(...units.slice(start, start + 4096));
  return key;
}

// What the store bench's page sends its worker, and what comes back (times in ms).
export interface StoreBenchRequest {
  /** The model folder's absolute URL, and the file to load from it (size and sha256 from its manifest). */
  model: string;
  path: string;
  sha256: string;
  bytes: number;
  rounds: number;
}

export interface StoreBenchReply {
  coldOpfsMs: number;
  coldIdbMs: number;
  /** One entry per round. */
  series: {
    /** A new store reads the file from OPFS, checked by its record's xxHash64. */
    opfsWarm: number[];
    /** The IndexedDB store as before: chunks joined, sha256 checked. */
    idbWarm: number[];
    /** The IndexedDB read alone (fileCheckedLater: sha256 left running). */
    idbReadOnly: number[];
    /** The same bytes through an OPFS sync access handle, no check. */
    rawOpfsRead: number[];
    xxh64: number[];
    sha256WebCrypto: number[];
    sha256Wasm: number[];
  };
}

/** One returning-visitor round of bench/store/first-rank.ts. */
export interface FirstRankRequest {
  /** The model folder's absolute URL. */
  ranker: string;
  dtype: 'q8' | 'q4' | 'fp32';
  input: string;
  candidates: string[];
}

export interface FirstRankReply {
  /** From createBlender's call to the first rank()'s result. */
  totalMs: number;
  createMs: number;
  rankMs: number;
  ranks: number[];
  /** The ranker's own load timings (info().ranker.timings). */
  timings: Record<string, number>;
  /** Where the files came from: 'opfs' for a returning visitor here. */
  modelStore: string;
}

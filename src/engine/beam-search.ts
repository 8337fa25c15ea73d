/**
 * Decoding strategies for the fuser, as pure state machines (no runtime imports): the
 * runtime feeds them one step of logits and gets back which rows continue with which
 * token. They re-implement Hugging Face transformers 4.28.1 (the version LLM-Blender
 * pins), `greedy_search` and `beam_search` + `BeamSearchScorer` + `BeamHypotheses`,
 * with length_penalty 1, early_stopping false and one returned sequence, so that a
 * port reproduces the reference token for token. tools/fuser/generate.py is the same
 * algorithm in Python; it makes the goldens this code is tested against.
 *
 * Rows: entry b of the batch owns rows b*numBeams .. b*numBeams+numBeams-1.
 * Every sequence starts with the decoder start token; max length is 1 + maxNewTokens.
 */

/**
 * Sampling instead of argmax (numBeams 1 only), as HF 4.28's `sample` with its default
 * warpers: temperature, then top-k 50 (HF's default `top_k`), then top-p.
 */
export interface SamplingConfig {
  temperature: number;
  topP: number;
  /** One uniform [0, 1) source per row, so a row's draws never depend on its batch. */
  randoms: ReadonlyArray<() => number>;
}

/** HF GenerationConfig's default `top_k`, applied when sampling. */
export const SAMPLING_TOP_K = 50;

export interface SearchConfig {
  /** Inputs decoded together. */
  batchSize: number;
  /** 1 = greedy (or sampling, with `sampling`). */
  numBeams: number;
  sampling?: SamplingConfig;
  maxNewTokens: number;
  decoderStartTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

/** What one decoding step asks the runtime to do next. */
export interface SearchStep {
  /** For each row of the next step: the row of the previous step whose cache it continues. */
  sourceRows: number[];
  /** For each row of the next step: the token to feed. */
  tokens: number[];
}

/** A decoding strategy, driven one step at a time by the runtime. */
export interface DecodingSearch {
  /** Rows the decoder runs on (batchSize * numBeams). */
  readonly rows: number;
  /** Tokens fed at the first step (the decoder start token for every row). */
  firstTokens(): number[];
  /** Consumes the logits [rows x vocab] of the last fed tokens. */
  step(logits: Float32Array, vocab: number): SearchStep;
  /** True when no further step is needed. */
  readonly done: boolean;
  /** One sequence per batch entry, start token first (HF `generate`'s output rows, unpadded). */
  result(): number[][];
}

export function createSearch(config: SearchConfig): DecodingSearch {
  validate(config);
  if (config.sampling && config.numBeams !== 1) throw new RangeError('sampling decodes with numBeams 1 only');
  return config.numBeams === 1 ? new GreedySearch(config) : new BeamSearch(config);
}

/**
 * Draws a token from one row of logits the way HF 4.28's `sample` does: logits / temperature,
 * top-k (keeping ties at the k-th value), top-p (ascending cumulative probabilities; tokens
 * whose cumulative mass is <= 1 - topP go, the most likely always stays), softmax, one draw.
 */
export function sampleToken(logits: ArrayLike<number>, sampling: Omit<SamplingConfig, 'randoms'>, random: () => number): number {
  const vocab = logits.length;
  const scaled = Array.from({ length: vocab }, (_, v) => logits[v]! / sampling.temperature);
  const kth = [...scaled].sort((a, b) => b - a)[Math.min(SAMPLING_TOP_K, vocab) - 1]!;
  let kept = scaled.map((value, v) => ({ v, value })).filter((entry) => entry.value >= kth);
  const max = Math.max(...kept.map((entry) => entry.value));
  const weights = (entries: typeof kept) => entries.map((entry) => Math.exp(entry.value - max));
  if (sampling.topP < 1) {
    kept.sort((a, b) => a.value - b.value || b.v - a.v);
    const w = weights(kept);
    const total = w.reduce((sum, x) => sum + x, 0);
    let cumulative = 0;
    const survivors = kept.filter((_, i) => {
      cumulative += w[i]! / total;
      return cumulative > 1 - sampling.topP || i === kept.length - 1;
    });
    kept = survivors;
  }
  const w = weights(kept);
  let u = random() * w.reduce((sum, x) => sum + x, 0);
  for (let i = 0; i < kept.length; i++) {
    u -= w[i]!;
    if (u < 0) return kept[i]!.v;
  }
  return kept[kept.length - 1]!.v;
}

function validate(config: SearchConfig): void {
  for (const key of ['batchSize', 'numBeams', 'maxNewTokens'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${key} must be an integer >= 1, got ${value}`);
  }
}

/**
 * log_softmax of each row, in float32 like torch: max-shifted, exp-summed in double,
 * rounded to float32 once.
 */
export function logSoftmaxRows(logits: Float32Array, rows: number, vocab: number): Float32Array {
  if (logits.length !== rows * vocab) throw new RangeError(`logits has ${logits.length} values, expected ${rows} x ${vocab}`);
  const out = new Float32Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[base + v]!);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[base + v]! - max);
    const logSum = Math.log(sum);
    for (let v = 0; v < vocab; v++) out[base + v] = logits[base + v]! - max - logSum;
  }
  return out;
}

/**
 * HF greedy_search: argmax (first on ties), or HF sample's draw with `sampling`; finished
 * rows are fed and filled with pad.
 */
class GreedySearch implements DecodingSearch {
  readonly rows: number;
  private readonly sequences: number[][];
  private readonly finished: boolean[];

  constructor(private readonly config: SearchConfig) {
    this.rows = config.batchSize;
    this.sequences = Array.from({ length: this.rows }, () => [config.decoderStartTokenId]);
    this.finished = Array<boolean>(this.rows).fill(false);
  }

  firstTokens(): number[] {
    return this.sequences.map((s) => s[0]!);
  }

  get done(): boolean {
    return this.finished.every(Boolean) || this.sequences[0]!.length >= 1 + this.config.maxNewTokens;
  }

  step(logits: Float32Array, vocab: number): SearchStep {
    const tokens: number[] = [];
    const sampling = this.config.sampling;
    for (let r = 0; r < this.rows; r++) {
      let best = 0;
      if (sampling && !this.finished[r]) {
        best = sampleToken(logits.subarray(r * vocab, (r + 1) * vocab), sampling, sampling.randoms[r]!);
      } else {
        for (let v = 1; v < vocab; v++) if (logits[r * vocab + v]! > logits[r * vocab + best]!) best = v;
      }
      const token = this.finished[r] ? this.config.padTokenId : best;
      this.sequences[r]!.push(token);
      if (token === this.config.eosTokenId) this.finished[r] = true;
      tokens.push(token);
    }
    return { sourceRows: tokens.map((_, r) => r), tokens };
  }

  result(): number[][] {
    // HF stops when every row has finished; a row that finished earlier holds pads after its eos.
    return this.sequences.map((s) => {
      const eos = s.indexOf(this.config.eosTokenId, 1);
      return eos === -1 ? [...s] : s.slice(0, eos + 1);
    });
  }
}

/** HF BeamHypotheses: the numBeams best finished hypotheses of one batch entry. */
class BeamHypotheses {
  /** [score, tokens] in insertion order, as HF keeps them. */
  readonly beams: [number, number[]][] = [];
  worstScore = 1e9;

  constructor(private readonly numBeams: number) {}

  add(tokens: number[], sumLogprobs: number): void {
    const score = sumLogprobs / tokens.length; // length_penalty 1: the start token counts
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push([score, tokens]);
      if (this.beams.length > this.numBeams) {
        // Python sorts (score, index) tuples: ties go to the lower index.
        const ranked = this.beams.map(([s], i) => [s, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(ranked[0]![1], 1);
        this.worstScore = ranked[1]![0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /** early_stopping false: done when no open beam can beat the worst kept hypothesis. */
  isDone(bestSumLogprobs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    return this.worstScore >= bestSumLogprobs / curLen;
  }

  best(): number[] {
    // Python's sorted() is stable and HF pops the last: among equal scores the latest added wins.
    let bestIndex = 0;
    for (let i = 1; i < this.beams.length; i++) if (this.beams[i]![0] >= this.beams[bestIndex]![0]) bestIndex = i;
    return this.beams[bestIndex]![1];
  }
}

/** HF beam_search with BeamSearchScorer (num_beam_groups 1). */
class BeamSearch implements DecodingSearch {
  readonly rows: number;
  private sequences: number[][];
  /** float32 like HF's beam_scores tensor. */
  private beamScores: Float32Array;
  private readonly hypotheses: BeamHypotheses[];
  private readonly entryDone: boolean[];
  private allDone = false;
  private readonly maxLength: number;
  private finalized: number[][] | null = null;

  constructor(private readonly config: SearchConfig) {
    const { batchSize, numBeams } = config;
    this.rows = batchSize * numBeams;
    this.maxLength = 1 + config.maxNewTokens;
    this.sequences = Array.from({ length: this.rows }, () => [config.decoderStartTokenId]);
    // Beam 0 starts at 0 and the others at -1e9, so the first step expands beam 0 only.
    this.beamScores = new Float32Array(this.rows).map((_, r) => (r % numBeams === 0 ? 0 : -1e9));
    this.hypotheses = Array.from({ length: batchSize }, () => new BeamHypotheses(numBeams));
    this.entryDone = Array<boolean>(batchSize).fill(false);
  }

  firstTokens(): number[] {
    return this.sequences.map((s) => s[0]!);
  }

  get done(): boolean {
    return this.allDone || this.sequences[0]!.length >= this.maxLength;
  }

  step(logits: Float32Array, vocab: number): SearchStep {
    const { numBeams, batchSize, eosTokenId, padTokenId } = this.config;
    const logprobs = logSoftmaxRows(logits, this.rows, vocab);
    const curLen = this.sequences[0]!.length;
    const nextScores = new Float32Array(this.rows);
    const tokens: number[] = Array<number>(this.rows).fill(padTokenId);
    const sourceRows: number[] = Array<number>(this.rows).fill(0);
    for (let b = 0; b < batchSize; b++) {
      if (this.entryDone[b]) continue; // HF feeds pad on row 0 with score 0 for a finished entry
      const top = this.topCandidates(logprobs, vocab, b);
      let filled = 0;
      for (let rank = 0; rank < top.length && filled < numBeams; rank++) {
        const { score, flat } = top[rank]!;
        const token = flat % vocab;
        const row = b * numBeams + Math.floor(flat / vocab);
        if (token === eosTokenId) {
          // An eos outside the first numBeams candidates does not close a hypothesis.
          if (rank >= numBeams) continue;
          this.hypotheses[b]!.add([...this.sequences[row]!], score);
        } else {
          const target = b * numBeams + filled;
          nextScores[target] = score;
          tokens[target] = token;
          sourceRows[target] = row;
          filled++;
        }
      }
      if (filled < numBeams) throw new Error('beam search: fewer non-eos candidates than beams');
      this.entryDone[b] = this.hypotheses[b]!.isDone(top[0]!.score, curLen);
    }
    this.beamScores = nextScores;
    this.sequences = sourceRows.map((row, r) => [...this.sequences[row]!, tokens[r]!]);
    this.allDone = this.entryDone.every(Boolean);
    return { sourceRows, tokens };
  }

  /** The 2*numBeams best (beam score + log-prob) over entry b's beams x vocab, best first;
   * equal scores keep the lower flat index (beam * vocab + token) first. */
  private topCandidates(logprobs: Float32Array, vocab: number, b: number): { score: number; flat: number }[] {
    const { numBeams } = this.config;
    const k = 2 * numBeams;
    const top: { score: number; flat: number }[] = [];
    for (let beam = 0; beam < numBeams; beam++) {
      const row = b * numBeams + beam;
      const base = this.beamScores[row]!;
      for (let v = 0; v < vocab; v++) {
        const score = Math.fround(logprobs[row * vocab + v]! + base);
        if (top.length === k && score <= top[k - 1]!.score) continue;
        let at = top.length;
        while (at > 0 && top[at - 1]!.score < score) at--;
        top.splice(at, 0, { score, flat: beam * vocab + v });
        if (top.length > k) top.pop();
      }
    }
    return top;
  }

  result(): number[][] {
    // Finalizing adds the open beams to the hypotheses: do it once.
    this.finalized ??= this.finalize();
    return this.finalized.map((s) => [...s]);
  }

  private finalize(): number[][] {
    const { numBeams, batchSize, eosTokenId } = this.config;
    for (let b = 0; b < batchSize; b++) {
      if (this.entryDone[b]) continue;
      for (let beam = 0; beam < numBeams; beam++) {
        const row = b * numBeams + beam;
        this.hypotheses[b]!.add([...this.sequences[row]!], this.beamScores[row]!);
      }
    }
    const best = this.hypotheses.map((h) => h.best());
    // HF appends eos when the sequence is shorter than min(longest + 1, max_length).
    const width = Math.min(Math.max(...best.map((s) => s.length)) + 1, this.maxLength);
    return best.map((s) => (s.length < width ? [...s, eosTokenId] : [...s]));
  }
}

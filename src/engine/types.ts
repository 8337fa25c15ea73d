/**
 * Public types of the ranking engine, shared by the Node entry (`llm-blender-web/node`)
 * and the browser worker. Plain data only (plus callbacks and AbortSignal in options),
 * so results cross postMessage unchanged.
 */

/** Progress of a compute call: `done` of `total` model passes (one pass = one ordered pair). */
export interface ComputeProgress {
  stage: 'rank' | 'fuse';
  done: number;
  total: number;
  /**
   * `adaptive` only: every input's ranks (1 = best) after the round just fitted, so a page
   * can show the ranking improving; sent after each round, with `done` unchanged. The last
   * such event has `done === total` and the ranks `rank` resolves with.
   */
  ranking?: number[][];
}

/** Options every compute call accepts. */
export interface CallOptions {
  /** Checked between batches; when it fires the call rejects with code `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Called after every batch. Every call happens before the method's promise settles, in
   * order, and none after. In Node it runs inside the call: an exception it throws ends the
   * call, which rejects with it. In a page it runs on the page's thread while the worker
   * goes on: an exception it throws is reported there as uncaught (the window's `error`
   * event, the console), as an event listener's is, and the call carries on unaffected. An
   * aborted call in a page rejects at once; what its last batch still reports is dropped.
   */
  onProgress?: (progress: ComputeProgress) => void;
  /** Most pairs per model run. Default: {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /**
   * Most tokens per model run (pairs x padded row length), so a batch of long rows cannot
   * exhaust memory. Default: {@link DEFAULT_TOKEN_BUDGET}. A single longer row still runs alone.
   */
  tokenBudget?: number;
}

/** Per-input instruction, prepended to the input without a separator (as the reference does). */
export interface WithInstructions {
  instructions?: readonly string[] | null;
}

/**
 * - `max_logits` (reference default): score_i = (1/N) * sum_j (M[i][j] - M[j][i]).
 * - `max_wins` (ours): score_i = #{j: M[i][j] > 0} + #{j: M[j][i] < 0}, i.e. wins counted in
 *   both orders of every pair.
 */
export type Aggregation = 'max_logits' | 'max_wins';

/**
 * - `full`: every ordered pair, N(N-1) passes per input; full ranks and scores.
 * - `bubble`: one seeded random order, keep the better of each adjacent pair, 2(N-1) passes;
 *   finds only the best: it gets rank 1 and every other candidate rank 2.
 * - `tournament`: a knockout in ⌈log₂N⌉ rounds (byes for odd counts), then replays for
 *   places 2..topK; at most 2(N−1 + (topK−1)⌈log₂N⌉) passes. Ranks 1..topK, topK+1 for the rest.
 * - `sort`: merge sort, then the passes the bound leaves on neighbours that never met; the
 *   order of a least-squares fit of every match's margin (ties in merge order), a complete
 *   strict order in at most 2N⌈log₂N⌉ passes.
 *
 * - `adaptive`: anytime ranking on a `budget` of passes per input (default 4N): Swiss rounds
 *   pair candidates of close strength, never the same pair twice, and Bradley–Terry strengths
 *   are refitted after each round; ranks come from the strengths, `returnScores` gives them
 *   and `returnMatrix` adds their standard errors. With `orders: 'one'` the candidate that
 *   has gone first less often goes first (lower index on a tie).
 *
 * Tournament and sort play each match in both orders unless `orders: 'one'`; every round's
 * matches of all inputs share model runs. Ranks only: no scores, no matrix.
 */
export type RankStrategy = 'full' | 'bubble' | 'tournament' | 'sort' | 'adaptive';

/**
 * How `tournament`, `sort` and `adaptive` play a match of a and b:
 * - `both` (default): M(a,b) − M(b,a), two passes, which cancels most of PairRM's position bias;
 * - `one`: M(a,b) only, the lower index first: half the passes, the first position favoured.
 */
export type RankOrders = 'both' | 'one';

export interface RankOptions extends CallOptions, WithInstructions {
  /**
   * Return the aggregated scores (higher = better) instead of ranks (`adaptive`: the
   * Bradley–Terry strengths). Not with `bubble`.
   */
  returnScores?: boolean;
  /**
   * Return a {@link RankDetails}: ranks, scores and each input's pairwise matrix of logits.
   * `full` and `adaptive` only (bubble runs too few pairs to fill one); not with `returnScores`.
   */
  returnMatrix?: boolean;
  strategy?: RankStrategy;
  aggregate?: Aggregation;
  /** Seed of the `bubble` order (default 0): the same seed gives the same winner. */
  seed?: number;
  /**
   * `tournament` only: how many places to decide (default 1), an integer from 1 to the
   * candidate count of every input. Those get ranks 1..topK in order, the rest topK+1.
   */
  topK?: number;
  /** `tournament`, `sort` and `adaptive` only: play each match in both orders (default) or one. */
  orders?: RankOrders;
  /**
   * `adaptive` only: most passes per input, an integer (default 4 × that input's candidate
   * count; at least 2 with `orders: 'both'`). Spent in whole matches, never exceeded, and
   * never more than every pair once (N(N−1) with `both`, N(N−1)/2 with `one`).
   */
  budget?: number;
}

/** What `rank` returns with `returnMatrix: true`, per input. */
export interface RankDetails {
  /** 1 = best; exact ties share the best rank. */
  ranks: number[][];
  /** The aggregated scores the ranks come from (higher = better). */
  scores: number[][];
  /**
   * `matrices[n][i][j]` = M(c_i, c_j): the logit of candidate i (first) against candidate j,
   * > 0 meaning i is better; the diagonal is 0. PairRM has position bias, so M(i, j) and
   * −M(j, i) differ in general. With `adaptive`, NaN where that ordered pair was not run.
   */
  matrices: number[][][];
  /**
   * `adaptive` only: each strength's standard error (`scores` are then Bradley–Terry
   * strengths), from the fit's Hessian with its prior: it shrinks as a candidate plays more.
   */
  standardErrors?: number[][];
}

/**
 * `rank`'s result: {@link RankDetails} with `returnMatrix: true`, else ranks (or scores);
 * either when `returnMatrix` is only known at run time.
 */
export type RankResult<WithMatrix extends boolean> = WithMatrix extends true ? RankDetails : number[][];

/**
 * `compare`'s result: logits with `returnLogits: true`, probabilities with
 * `returnProbabilities: true`, else booleans; either when only known at run time.
 */
export type CompareResult<WithLogits extends boolean, WithProbabilities extends boolean = false> = WithLogits extends true
  ? number[]
  : WithProbabilities extends true
    ? number[]
    : boolean[];

/**
 * - `[A,B]+[B,A]` (default): M(A,B) - M(B,A), both orders (a sum, not an average).
 * - `[A,B]`: one pass, M(A,B).
 * - `[B,A]`: one pass, M(B,A), not negated (as the reference).
 */
export type CompareMode = '[A,B]+[B,A]' | '[A,B]' | '[B,A]';

export interface CompareOptions extends CallOptions, WithInstructions {
  mode?: CompareMode;
  /** Return the raw values instead of booleans (`value > 0`, a tie is false). */
  returnLogits?: boolean;
  /**
   * Return P(A is better than B) = σ(value) = 1 / (1 + e^-value) of the mode's value: with
   * `[A,B]+[B,A]`, σ(M(A,B) − M(B,A)), both orders' evidence (so a position-biased model
   * is corrected); with `[A,B]`, σ(M(A,B)), A shown first; with `[B,A]`, σ(M(B,A)), B shown
   * first, so that one is P(B better than A) as the reference's unnegated value is. 0.5 is
   * a tie. Not with `returnLogits`.
   */
  returnProbabilities?: boolean;
}

export type ConversationRole = 'USER' | 'ASSISTANT';

export interface ConversationTurn {
  role: ConversationRole;
  content: string;
}

export type Conversation = readonly ConversationTurn[];

export type CompareConversationsOptions = Omit<CompareOptions, 'instructions'>;

/** How `rankWithRef` picks each input's reference (character lengths; first wins a tie). */
export type RefMode = 'longest' | 'shortest' | 'median_length' | 'first' | 'last';

export interface RankWithRefOptions extends CallOptions, WithInstructions {
  /** A mode, or one explicit reference text per input. Default `longest`. */
  ref?: RefMode | readonly string[];
  /** Return reward_j = M(c_j, ref) - M(ref, c_j) instead of ranks. */
  returnScores?: boolean;
}

export interface FuseOptions extends CallOptions, WithInstructions {
  /** Most generated tokens per input (default 128, the reference's). */
  maxNewTokens?: number;
  /** 1 = greedy; more = beam search with that many beams (default 4, the reference's). */
  numBeams?: number;
  /**
   * Streams each input's fused text: called with the text added since the last call, so the
   * pieces of one input concatenate to its result. Greedy (numBeams 1) streams token by
   * token; beam search calls it once per input with the whole text at the end. Every call
   * happens before fuse's promise settles, in order (with `onProgress`'s too), and none
   * after: when it resolves, each input's pieces already make up its text. In Node it runs
   * inside the generation: an exception it throws ends the call, which rejects (with that
   * error, or an `INFERENCE_FAILED` whose `cause` it is). In a page it runs on the page's
   * thread while the worker goes on generating: an exception it throws is reported there as
   * uncaught (the window's `error` event, the console), as an event listener's is, and the
   * call carries on, its result unaffected. An aborted call in a page rejects at once; what
   * its last step still streams is dropped.
   */
  onToken?: (inputIndex: number, text: string) => void;
  /**
   * Sample instead of searching (HF `do_sample`, numBeams 1): logits / temperature, then
   * HF's default top-k 50, then top-p. Reproducible: the same seed gives the same text,
   * whatever the batch.
   */
  doSample?: boolean;
  /** With doSample: > 0, default 1. */
  temperature?: number;
  /** With doSample: nucleus mass in (0, 1], default 1 (off). */
  topP?: number;
  /** With doSample: default 0. */
  seed?: number;
}

export interface RankAndFuseOptions extends FuseOptions {
  /** How many of the best-ranked candidates are fused (default 3, the reference's). */
  topK?: number;
  /** Also return the ranking's scores and pairwise matrices (as `rank`'s `returnMatrix`). */
  returnMatrix?: boolean;
}

export interface RankAndFuseResult {
  fused: string[];
  ranks: number[][];
  /** The fused candidates per input, best first. */
  topCandidates: string[][];
}

/** `rankAndFuse`'s result: with `returnMatrix: true`, the ranking's details too. */
export type RankAndFuseResultFor<WithMatrix extends boolean> = WithMatrix extends true ? RankAndFuseResult & RankDetails : RankAndFuseResult;

/**
 * The caller's generator for `bestOfN`: any LLM, local or remote. Returns `n` candidate
 * answers to `prompt` (instruction + "\n" + input, or the input alone without instruction).
 */
export type BestOfNGenerate = (prompt: string, n: number) => Promise<readonly string[]> | readonly string[];

export interface BestOfNOptions extends CallOptions, WithInstructions {
  generate: BestOfNGenerate;
  /** Candidates per prompt (default 5, the reference's). */
  n?: number;
  /**
   * How PairRM picks the best: `bubble` (default, the reference's) in 2(n-1) passes; `full`
   * ranks all; `tournament`, `sort` and `adaptive` as in `rank` (with their defaults).
   */
  strategy?: RankStrategy;
  /** Seed of the `bubble` order (default 0). */
  seed?: number;
}

export interface BestOfNResult {
  /** The best candidate per prompt. */
  best: string[];
  /** Every candidate per prompt, best first (with `bubble` only the first is ordered). */
  ranked: string[][];
  /** Ranks of the candidates in generation order (1 = best). */
  ranks: number[][];
  /** The candidates as generated. */
  candidates: string[][];
}

/** PairRM fields of a ranker's config.json: marker ids and length limits. */
export interface PairRankerConfig {
  sourcePrefixId: number;
  cand1PrefixId: number;
  cand2PrefixId: number;
  clsTokenId: number;
  sepTokenId: number;
  padTokenId: number;
  sourceMaxLength: number;
  candidateMaxLength: number;
}

/** The compare/rank half of the public API, identical in Node and in the worker. */
export interface Ranker {
  rank<WithMatrix extends boolean = false>(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    options?: RankOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankResult<WithMatrix>>;
  compare<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    inputs: readonly string[],
    candidatesA: readonly string[],
    candidatesB: readonly string[],
    options?: CompareOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>>;
  compareConversations<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    conversationsA: readonly Conversation[],
    conversationsB: readonly Conversation[],
    options?: CompareConversationsOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>>;
  rankWithRef(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: RankWithRefOptions): Promise<number[][]>;
}

/** The whole API: ranking plus fusion (fusion rejects with `FUSER_NOT_LOADED` until a fuser exists). */
export interface Blender<Info> extends Ranker {
  fuse(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: FuseOptions): Promise<string[]>;
  rankAndFuse<WithMatrix extends boolean = false>(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    options?: RankAndFuseOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankAndFuseResultFor<WithMatrix>>;
  /** Generates n candidates per prompt with the caller's `generate`, ranks them with PairRM. */
  bestOfN(prompts: readonly string[], options: BestOfNOptions): Promise<BestOfNResult>;
  info(): Promise<Info>;
  dispose(): Promise<void>;
}

/** Pairs per model run. Measured with the tiny model on 2 cores (see src/engine/defaults.ts). */
export { DEFAULT_BATCH_SIZE, DEFAULT_TOKEN_BUDGET } from './defaults';

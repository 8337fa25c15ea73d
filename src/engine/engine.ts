import { aggregateScores, ranksFromScores } from './aggregate';
import { bubblePasses, bubbleRanks, bubbleWinners, type CandidatePair } from './bubble';
import { CALL_OPTION_KEYS, ENGINE_DEFAULTS, readRunOptions, type RunDefaults, type RunOptions } from './call-options';
import { conversationsToComparisons } from './conversations';
import { PairRowBuilder, sourceText, type ContentTokenizer, type PairTexts } from './encode';
import { BlenderError } from './errors';
import { DEFAULT_PAIR_CACHE_SIZE, PairCache } from './pair-cache';
import { sigmoid } from './probability';
import { CallProgress, scorePairs, type PairModel, type PassStats } from './pair-scorer';
import { chooseReference, REF_MODES } from './reference-choice';
import { finishProgress, matchPassBound, rankByMatches, type MatchStrategy } from './strategies/match-strategies';
import { checkRanksOnly, readMatchOptions, type MatchOptions } from './strategies/options';
import { adaptiveRank, adaptiveResult, readAdaptiveSettings, usableBudgets, type AdaptiveSettings } from './strategies/adaptive';
import type {
  Aggregation,
  CompareConversationsOptions,
  CompareMode,
  CompareOptions,
  CompareResult,
  Conversation,
  PairRankerConfig,
  RankDetails,
  Ranker,
  RankOptions,
  RankResult,
  RankStrategy,
  RankWithRefOptions,
  RefMode,
} from './types';
import {
  checkBooleanOption,
  checkCandidateLists,
  checkEnumOption,
  checkInstructions,
  checkIntegerOption,
  checkOptions,
  checkParallelStringList,
  checkStringList,
} from './validate';

const RANK_KEYS = [...CALL_OPTION_KEYS, 'instructions', 'returnScores', 'returnMatrix', 'strategy', 'aggregate', 'seed', 'topK', 'orders', 'budget'];
const COMPARE_KEYS = [...CALL_OPTION_KEYS, 'instructions', 'mode', 'returnLogits', 'returnProbabilities'];
const CONVERSATION_KEYS = [...CALL_OPTION_KEYS, 'mode', 'returnLogits', 'returnProbabilities'];
const RANK_WITH_REF_KEYS = [...CALL_OPTION_KEYS, 'instructions', 'ref', 'returnScores'];
const COMPARE_MODES: readonly CompareMode[] = ['[A,B]+[B,A]', '[A,B]', '[B,A]'];
const STRATEGIES: readonly RankStrategy[] = ['full', 'bubble', 'tournament', 'sort', 'adaptive'];
const AGGREGATIONS: readonly Aggregation[] = ['max_logits', 'max_wins'];

/**
 * The PairRM ranking engine: pure logic over an injected model and tokenizer, so the same
 * class runs in Node (onnxruntime-node) and in the browser worker (onnxruntime-web).
 */
export class RankingEngine implements Ranker {
  readonly stats: PassStats = { passes: 0, computeMs: 0 };

  constructor(
    private readonly model: PairModel,
    private readonly tokenizer: ContentTokenizer,
    readonly config: PairRankerConfig,
    private readonly defaults: RunDefaults = ENGINE_DEFAULTS,
    /** Exact logits of rows this engine already ran (src/engine/pair-cache.ts); capacity 0 = off. */
    readonly pairCache: PairCache = new PairCache(DEFAULT_PAIR_CACHE_SIZE),
  ) {}

  async rank<WithMatrix extends boolean = false>(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    options?: RankOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankResult<WithMatrix>> {
    return (await this.rankAny(inputs, candidates, options)) as RankResult<WithMatrix>;
  }

  private async rankAny(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    options: RankOptions | undefined,
  ): Promise<number[][] | RankDetails> {
    const opts = checkOptions<RankOptions>(options, RANK_KEYS);
    checkStringList(inputs, 'inputs');
    checkCandidateLists(candidates, 'candidates', inputs.length);
    checkInstructions(opts.instructions, inputs.length);
    const strategy = checkEnumOption(opts.strategy, 'strategy', STRATEGIES) ?? 'full';
    const aggregation = checkEnumOption(opts.aggregate, 'aggregate', AGGREGATIONS);
    const returnScores = checkBooleanOption(opts.returnScores, 'returnScores') ?? false;
    const returnMatrix = checkBooleanOption(opts.returnMatrix, 'returnMatrix') ?? false;
    const seed = checkIntegerOption(opts.seed, 'seed', 0);
    const run = readRunOptions(opts, this.defaults);
    const sources = inputs.map((input, i) => sourceText(opts.instructions?.[i], input));
    if (returnScores && returnMatrix) {
      throw new BlenderError('INVALID_OPTION', 'options.returnMatrix already returns the scores: drop options.returnScores', 'options.returnScores');
    }

    const matchOptions = readMatchOptions(
      strategy,
      opts,
      candidates.map((list) => list.length),
    );
    const adaptive = readAdaptiveSettings(strategy, { budget: opts.budget, aggregate: aggregation, seed }, matchOptions.orders);
    if (adaptive) return this.rankAdaptive(sources, candidates, adaptive, { returnScores, returnMatrix }, run);
    if (strategy === 'tournament' || strategy === 'sort') {
      checkRanksOnly(strategy, { returnScores, returnMatrix, aggregate: aggregation, seed });
      return this.rankByMatches(strategy, sources, candidates, matchOptions, run);
    }
    if (strategy === 'bubble') {
      if (returnScores) {
        throw new BlenderError('INVALID_OPTION', 'strategy "bubble" finds only the best candidate: it has no scores', 'options.returnScores');
      }
      if (returnMatrix) {
        throw new BlenderError('INVALID_OPTION', 'strategy "bubble" compares only neighbours: it has no matrix', 'options.returnMatrix');
      }
      if (aggregation !== undefined) {
        throw new BlenderError('INVALID_OPTION', 'options.aggregate applies to strategy "full" only', 'options.aggregate');
      }
      return this.rankBubble(sources, candidates, seed ?? 0, run);
    }
    if (seed !== undefined) {
      throw new BlenderError('INVALID_OPTION', 'options.seed applies to strategy "bubble" only', 'options.seed');
    }
    const matrices = await this.fullMatrices(sources, candidates, run);
    const scores = matrices.map((matrix) => aggregateScores(matrix, aggregation ?? 'max_logits'));
    if (returnMatrix) return { ranks: scores.map(ranksFromScores), scores, matrices };
    return returnScores ? scores : scores.map(ranksFromScores);
  }

  async compare<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    inputs: readonly string[],
    candidatesA: readonly string[],
    candidatesB: readonly string[],
    options?: CompareOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>> {
    const opts = checkOptions<CompareOptions>(options, COMPARE_KEYS);
    checkStringList(inputs, 'inputs');
    checkParallelStringList(candidatesA, 'candidatesA', inputs.length);
    checkParallelStringList(candidatesB, 'candidatesB', inputs.length);
    checkInstructions(opts.instructions, inputs.length);
    const sources = inputs.map((input, i) => sourceText(opts.instructions?.[i], input));
    return (await this.compareSources(sources, candidatesA, candidatesB, opts)) as CompareResult<WithLogits, WithProbabilities>;
  }

  async compareConversations<WithLogits extends boolean = false, WithProbabilities extends boolean = false>(
    conversationsA: readonly Conversation[],
    conversationsB: readonly Conversation[],
    options?: CompareConversationsOptions & { returnLogits?: WithLogits; returnProbabilities?: WithProbabilities },
  ): Promise<CompareResult<WithLogits, WithProbabilities>> {
    const opts = checkOptions<CompareConversationsOptions>(options, CONVERSATION_KEYS);
    const comparisons = conversationsToComparisons(conversationsA, conversationsB);
    return (await this.compareSources(
      comparisons.map((c) => sourceText(c.instruction, c.input)),
      comparisons.map((c) => c.candidateA),
      comparisons.map((c) => c.candidateB),
      opts,
    )) as CompareResult<WithLogits, WithProbabilities>;
  }

  async rankWithRef(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: RankWithRefOptions): Promise<number[][]> {
    const opts = checkOptions<RankWithRefOptions>(options, RANK_WITH_REF_KEYS);
    checkStringList(inputs, 'inputs');
    checkCandidateLists(candidates, 'candidates', inputs.length);
    checkInstructions(opts.instructions, inputs.length);
    const returnScores = checkBooleanOption(opts.returnScores, 'returnScores') ?? false;
    const refs = this.references(candidates, opts.ref, inputs.length);
    const run = readRunOptions(opts, this.defaults);
    const sources = inputs.map((input, i) => sourceText(opts.instructions?.[i], input));

    // reward_j = M(c_j, ref) - M(ref, c_j); a candidate equal to the reference gets exactly
    // 0 (both orders are the same row), so its passes are skipped.
    const pairs: PairTexts[] = [];
    const slots: { input: number; candidate: number }[] = [];
    candidates.forEach((list, i) =>
      list.forEach((candidate, j) => {
        if (candidate === refs[i]) return;
        pairs.push({ source: sources[i]!, cand1: candidate, cand2: refs[i]! });
        pairs.push({ source: sources[i]!, cand1: refs[i]!, cand2: candidate });
        slots.push({ input: i, candidate: j });
      }),
    );
    const logits = await this.score(pairs, run, new CallProgress(pairs.length, run.onProgress));
    const rewards = candidates.map((list) => list.map(() => 0));
    slots.forEach(({ input, candidate }, k) => {
      rewards[input]![candidate] = logits[2 * k]! - logits[2 * k + 1]!;
    });
    return returnScores ? rewards : rewards.map(ranksFromScores);
  }

  private async compareSources(
    sources: readonly string[],
    candidatesA: readonly string[],
    candidatesB: readonly string[],
    opts: CompareOptions | CompareConversationsOptions,
  ): Promise<boolean[] | number[]> {
    const mode = checkEnumOption(opts.mode, 'mode', COMPARE_MODES) ?? '[A,B]+[B,A]';
    const returnLogits = checkBooleanOption(opts.returnLogits, 'returnLogits') ?? false;
    const returnProbabilities = checkBooleanOption(opts.returnProbabilities, 'returnProbabilities') ?? false;
    if (returnLogits && returnProbabilities) {
      throw new BlenderError(
        'INVALID_OPTION',
        'options.returnLogits and options.returnProbabilities exclude each other: ask for one',
        'options.returnProbabilities',
      );
    }
    const run = readRunOptions(opts, this.defaults);
    const ab = (i: number): PairTexts => ({ source: sources[i]!, cand1: candidatesA[i]!, cand2: candidatesB[i]! });
    const ba = (i: number): PairTexts => ({ source: sources[i]!, cand1: candidatesB[i]!, cand2: candidatesA[i]! });
    const indices = sources.map((_, i) => i);
    const pairs = mode === '[A,B]' ? indices.map(ab) : mode === '[B,A]' ? indices.map(ba) : indices.flatMap((i) => [ab(i), ba(i)]);
    const logits = await this.score(pairs, run, new CallProgress(pairs.length, run.onProgress));
    // Default mode is a sum of both orders (reference), [B,A] is not negated (reference).
    const values = mode === '[A,B]+[B,A]' ? indices.map((i) => logits[2 * i]! - logits[2 * i + 1]!) : logits;
    if (returnProbabilities) return values.map(sigmoid);
    return returnLogits ? values : values.map((value) => value > 0);
  }

  /** Every ordered pair of each input's candidates: matrices[n][i][j] = M(c_i, c_j), diagonal 0. */
  private async fullMatrices(sources: readonly string[], candidates: readonly (readonly string[])[], run: RunOptions): Promise<number[][][]> {
    const pairs: PairTexts[] = [];
    const slots: CandidatePair[] = [];
    candidates.forEach((list, input) => {
      list.forEach((first, i) =>
        list.forEach((second, j) => {
          if (i === j) return;
          pairs.push({ source: sources[input]!, cand1: first, cand2: second });
          slots.push({ input, first: i, second: j });
        }),
      );
    });
    const logits = await this.score(pairs, run, new CallProgress(pairs.length, run.onProgress));
    const matrices = candidates.map((list) => list.map(() => list.map(() => 0)));
    slots.forEach(({ input, first, second }, k) => {
      matrices[input]![first]![second] = logits[k]!;
    });
    return matrices;
  }

  private async rankBubble(sources: readonly string[], candidates: readonly (readonly string[])[], seed: number, run: RunOptions): Promise<number[][]> {
    const counts = candidates.map((list) => list.length);
    const progress = new CallProgress(bubblePasses(counts), run.onProgress);
    const rows = new PairRowBuilder(this.tokenizer, this.config);
    const winners = await bubbleWinners(counts, seed, (pairs) =>
      this.score(
        pairs.map(({ input, first, second }) => ({
          source: sources[input]!,
          cand1: candidates[input]![first]!,
          cand2: candidates[input]![second]!,
        })),
        run,
        progress,
        rows,
      ),
    );
    return bubbleRanks(counts, winners);
  }

  /** Adaptive (src/engine/strategies/adaptive.ts): progress in passes, plus the ranking after each round. */
  private async rankAdaptive(
    sources: readonly string[],
    candidates: readonly (readonly string[])[],
    settings: AdaptiveSettings,
    output: { returnScores: boolean; returnMatrix: boolean },
    run: RunOptions,
  ): Promise<number[][] | RankDetails> {
    const counts = candidates.map((list) => list.length);
    const progress = new CallProgress(
      usableBudgets(counts, settings).reduce((sum, passes) => sum + passes, 0),
      run.onProgress,
    );
    const rows = new PairRowBuilder(this.tokenizer, this.config);
    const result = await adaptiveRank(
      counts,
      settings,
      (pairs) =>
        this.score(
          pairs.map(({ input, first, second }) => ({ source: sources[input]!, cand1: candidates[input]![first]!, cand2: candidates[input]![second]! })),
          run,
          progress,
          rows,
        ),
      (ranking) => progress.reportRanking(ranking),
    );
    return adaptiveResult(result, output);
  }

  /** Tournament or sort (src/engine/strategies): progress runs against the pass bound. */
  private async rankByMatches(
    strategy: MatchStrategy,
    sources: readonly string[],
    candidates: readonly (readonly string[])[],
    options: MatchOptions,
    run: RunOptions,
  ): Promise<number[][]> {
    const counts = candidates.map((list) => list.length);
    const bound = matchPassBound(strategy, counts, options);
    const progress = new CallProgress(bound, run.onProgress);
    const rows = new PairRowBuilder(this.tokenizer, this.config);
    const { ranks, passes } = await rankByMatches(strategy, counts, options, (pairs) =>
      this.score(
        pairs.map(({ input, first, second }) => ({ source: sources[input]!, cand1: candidates[input]![first]!, cand2: candidates[input]![second]! })),
        run,
        progress,
        rows,
      ),
    );
    finishProgress(bound, passes, run.onProgress);
    return ranks;
  }

  private references(candidates: readonly (readonly string[])[], ref: unknown, length: number): string[] {
    if (ref === undefined) return candidates.map((list) => chooseReference(list, 'longest'));
    if (Array.isArray(ref)) {
      const refs: unknown = ref; // Array.isArray narrows to any[]; the check below types it
      checkParallelStringList(refs, 'options.ref', length);
      return [...refs];
    }
    const mode = checkEnumOption<RefMode>(ref, 'ref', REF_MODES)!;
    return candidates.map((list) => chooseReference(list, mode));
  }

  private score(
    pairs: readonly PairTexts[],
    run: RunOptions,
    progress: CallProgress,
    rows: PairRowBuilder = new PairRowBuilder(this.tokenizer, this.config),
  ): Promise<number[]> {
    return scorePairs(pairs, rows, this.model, { ...run, progress, stats: this.stats, cache: this.pairCache });
  }
}

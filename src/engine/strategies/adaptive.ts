import { ranksFromScores } from '../aggregate';
import type { PairScorer } from '../bubble';
import { BlenderError } from '../errors';
import type { RankDetails } from '../types';
import { checkIntegerOption } from '../validate';
import { sigmoid } from '../probability';
import { fitBradleyTerry, type BradleyTerryFit, type Comparison } from './bradley-terry';
import { passesPerMatch, playMatches, type Match, type Orders } from './match';
import { swissPairing } from './swiss-pairing';

/**
 * `strategy: 'adaptive'`: ranking on a budget of passes, anytime. Rounds of Swiss pairing
 * (swiss-pairing.ts) over Bradley–Terry strengths refitted (bradley-terry.ts) after every
 * round to all comparisons made so far. Inputs advance in lockstep (match.ts plays them), so one round
 * of every input is one scorer call and shares model runs.
 *
 * A match's outcome for a over b is soft: σ(v / passes), v as match.ts plays it, so
 * σ((M(a,b) − M(b,a)) / 2) with `orders: 'both'` (the mean of the two orders' views of
 * "a beats b", which cancels PairRM's position bias) and σ(M(a,b)) with `'one'` (the
 * candidate that went first less often goes first, to spread the bias). Soft, not win/loss,
 * because PairRM's logit is a log-odds of preference: a near-tie counts as one, not as a full
 * win, and with every pair played the strengths order candidates as `full`'s max_logits
 * scores do whenever preferences are consistent (both are monotone in the same margins).
 *
 * The margins are first divided by their typical size, T = max(1, median |v / passes|) over
 * the input's matches so far (recomputed each round, every outcome refitted): when
 * candidates differ by many logits, σ(v / passes) is 0 or 1 for nearly every match and the
 * fit sees only who won, not by how much, which is what full's max_logits order rests on
 * (measured in bench/RESULTS.md: median τ with full 0.82 → 0.87 at N = 32 on matrices
 * calibrated to synth-pairrm). The strengths and standard errors are multiplied back by T,
 * so they stay in logit units.
 */
export function marginScale(values: readonly number[], cost: number): number {
  if (values.length === 0) return 1;
  const sizes = values.map((v) => Math.abs(v) / cost).sort((a, b) => a - b);
  const mid = sizes.length >> 1;
  const median = sizes.length % 2 ? sizes[mid]! : (sizes[mid - 1]! + sizes[mid]!) / 2;
  return Math.max(1, median);
}

/** Default budget: 4 passes per candidate (2 matches each with 'both'), per input. */
export const DEFAULT_BUDGET_PER_CANDIDATE = 4;

export interface AdaptiveSettings {
  /** Passes per input; undefined = DEFAULT_BUDGET_PER_CANDIDATE × that input's N. */
  budget: number | undefined;
  orders: Orders;
}

export interface AdaptiveRanking {
  strengths: number[][];
  standardErrors: number[][];
  /** M(c_i, c_j) where that ordered pair ran, NaN where it did not; diagonal 0. */
  matrices: number[][][];
}

/**
 * `options.budget` (only with adaptive, at least one match's passes); with adaptive also
 * refuses `aggregate` and `seed`, which it has no use for. undefined: not adaptive.
 */
export function readAdaptiveSettings(
  strategy: string,
  options: { budget: unknown; aggregate: unknown; seed: unknown },
  orders: Orders,
): AdaptiveSettings | undefined {
  const budget = checkIntegerOption(options.budget, 'budget', 1);
  if (strategy !== 'adaptive') {
    if (budget === undefined) return undefined;
    throw new BlenderError('INVALID_OPTION', `options.budget applies to strategy "adaptive" only, not "${strategy}"`, 'options.budget');
  }
  if (budget !== undefined && budget < passesPerMatch(orders)) {
    throw new BlenderError('INVALID_OPTION', 'options.budget must be at least 2 with orders "both": a match runs both orders', 'options.budget');
  }
  if (options.aggregate !== undefined) {
    throw new BlenderError('INVALID_OPTION', 'options.aggregate applies to strategy "full" only', 'options.aggregate');
  }
  if (options.seed !== undefined) {
    throw new BlenderError('INVALID_OPTION', 'options.seed applies to strategy "bubble" only', 'options.seed');
  }
  return { budget, orders };
}

/** rank's result from the fit: ranks, the strengths, or RankDetails with standard errors. */
export function adaptiveResult(result: AdaptiveRanking, output: { returnScores: boolean; returnMatrix: boolean }): number[][] | RankDetails {
  const ranks = result.strengths.map(ranksFromScores);
  if (output.returnMatrix) return { ranks, scores: result.strengths, matrices: result.matrices, standardErrors: result.standardErrors };
  return output.returnScores ? result.strengths : ranks;
}

/**
 * Passes each input can actually use: its budget rounded down to whole matches, and never
 * more than one match per unordered pair (the model is deterministic: a rerun says nothing new).
 */
export function usableBudgets(counts: readonly number[], settings: AdaptiveSettings): number[] {
  const cost = passesPerMatch(settings.orders);
  return counts.map((n) => {
    const budget = settings.budget ?? DEFAULT_BUDGET_PER_CANDIDATE * n;
    return cost * Math.min(Math.floor(budget / cost), (n * (n - 1)) / 2);
  });
}

/**
 * Plays rounds until every input's usable budget is spent (exactly: while fresh pairs remain
 * each round has at least one match). Each round of all inputs is one `playMatches` call;
 * `onRound` then gets every input's current ranks.
 */
export async function adaptiveRank(
  counts: readonly number[],
  settings: AdaptiveSettings,
  score: PairScorer,
  onRound?: (ranks: number[][]) => void,
): Promise<AdaptiveRanking> {
  const budgets = usableBudgets(counts, settings);
  const states = counts.map((n, input) => new InputRounds(input, n, budgets[input]!, settings.orders));
  const matrices = counts.map((n) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Number.NaN))));
  const recording: PairScorer = async (pairs) => {
    const logits = await score(pairs);
    pairs.forEach(({ input, first, second }, k) => {
      matrices[input]![first]![second] = logits[k]!;
    });
    return logits;
  };
  for (;;) {
    const rounds = states.map((state) => state.nextMatches());
    const matches = rounds.flat();
    if (matches.length === 0) break;
    const values = await playMatches(matches, settings.orders, recording);
    let k = 0;
    rounds.forEach((round, input) => {
      if (round.length === 0) return;
      states[input]!.record(round, values.slice(k, (k += round.length)));
    });
    onRound?.(states.map((state) => ranksFromScores(state.strengths())));
  }
  return { strengths: states.map((s) => s.strengths()), standardErrors: states.map((s) => s.standardErrors()), matrices };
}

/** One input's rounds: pair by current strengths, play, refit, until its budget or its fresh pairs run out. */
class InputRounds {
  fit: BradleyTerryFit;
  private left: number;
  private readonly met = new Set<number>();
  private readonly timesFirst: number[];
  private readonly played: { a: number; b: number; value: number }[] = [];
  private scale = 1;

  constructor(
    private readonly input: number,
    private readonly n: number,
    budget: number,
    private readonly orders: Orders,
  ) {
    this.left = budget;
    this.fit = fitBradleyTerry(n, []);
    this.timesFirst = new Array<number>(n).fill(0);
  }

  nextMatches(): Match[] {
    const cost = passesPerMatch(this.orders);
    const pairs = swissPairing(this.fit.strengths, (a, b) => this.met.has(this.key(a, b))).slice(0, Math.floor(this.left / cost));
    this.left -= pairs.length * cost;
    return pairs.map(([a, b]): Match => {
      this.met.add(this.key(a, b));
      const [first, second] = this.orders === 'one' && this.timesFirst[b]! < this.timesFirst[a]! ? [b, a] : [a, b];
      this.timesFirst[first]!++;
      return { input: this.input, a: first, b: second };
    });
  }

  /** The round's values as playMatches gives them: soft outcomes at the current margin scale, then a warm-started refit. */
  record(matches: readonly Match[], values: readonly number[]): void {
    const cost = passesPerMatch(this.orders);
    matches.forEach(({ a, b }, k) => this.played.push({ a, b, value: values[k]! }));
    const scale = marginScale(
      this.played.map((p) => p.value),
      cost,
    );
    const comparisons: Comparison[] = this.played.map(({ a, b, value }) => ({ a, b, outcome: sigmoid(value / cost / scale) }));
    const start = this.fit.strengths.map((s) => (s * this.scale) / scale);
    this.scale = scale;
    this.fit = fitBradleyTerry(this.n, comparisons, { start });
  }

  /** Strengths in logit units (the fit's, times the margin scale). */
  strengths(): number[] {
    return this.fit.strengths.map((s) => s * this.scale);
  }

  standardErrors(): number[] {
    return this.fit.standardErrors.map((e) => e * this.scale);
  }

  private key(a: number, b: number): number {
    return Math.min(a, b) * this.n + Math.max(a, b);
  }
}

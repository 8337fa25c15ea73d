// The ranking strategies the demo offers, each with the one line the hint under its select
// shows, and what a run of one used: pairs run against the N(N−1) of a full rank, and pairs
// the blender's pair cache answered without a run.
import type { BrowserBlender, RankStrategy } from '../client/index';

export interface StrategyChoice {
  value: RankStrategy;
  label: string;
  hint: string;
}

// Typed by value (not `RankStrategy[]`) so that the list stays the page's own: an option the
// engine does not know is reported by rank() as INVALID_OPTION, not hidden.
const CHOICES: readonly { value: string; label: string; hint: string }[] = [
  { value: 'full', label: 'full: every pair', hint: 'Full runs every ordered pair, N(N−1), and gives every rank, the scores and the matrix.' },
  { value: 'bubble', label: 'bubble: the best only', hint: 'Bubble runs 2(N−1) pairs in one seeded order and finds only the best.' },
  { value: 'tournament', label: 'tournament: the winner', hint: 'Tournament plays a knockout in ⌈log₂N⌉ rounds, about 2(N−1) pairs, and finds the winner.' },
  {
    value: 'sort',
    label: 'sort: a full order',
    hint: 'Sort merge-sorts the candidates, then spends the rest of at most 2N⌈log₂N⌉ pairs on close neighbours, for a complete order without scores.',
  },
  {
    value: 'adaptive',
    label: 'adaptive: on a budget',
    hint: 'Adaptive spends a budget of 4N pairs on Swiss rounds of close rivals and ranks by fitted Bradley–Terry strengths.',
  },
];

export const STRATEGY_CHOICES = CHOICES as readonly StrategyChoice[];

/** Whether a strategy orders every candidate (so a mean rank means something). */
export function ordersEveryCandidate(strategy: string): boolean {
  return strategy === 'full' || strategy === 'sort' || strategy === 'adaptive';
}

/** The hint for a strategy (the select's value). */
export function strategyHint(strategy: string): string {
  return CHOICES.find((choice) => choice.value === strategy)?.hint ?? '';
}

/** Fills a strategy select with every choice and keeps `hint` on the chosen one's line. */
export function wireStrategySelect(select: HTMLSelectElement, hint: HTMLElement, suffix = ''): void {
  select.replaceChildren(
    ...CHOICES.map(({ value, label }) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      return option;
    }),
  );
  select.value = 'full';
  const show = () => (hint.textContent = `${strategyHint(select.value)}${suffix}`);
  select.addEventListener('change', show);
  show();
}

/** Pair counts of one call, from the ranker's info() before and after it. */
export interface PairUsage {
  /** Pairs the model ran. */
  passes: number;
  /** Pairs the pair cache answered (not run). */
  cached: number;
}

type RankerCounts = { passes: number; hits: number };

async function counts(blender: Pick<BrowserBlender, 'info'>): Promise<RankerCounts> {
  const ranker = (await blender.info()).ranker;
  return { passes: ranker?.passes ?? 0, hits: ranker?.pairCache?.hits ?? 0 };
}

/** Runs `work` and says how many pairs it ran and how many came from the cache. */
export async function measurePairs<T>(blender: Pick<BrowserBlender, 'info'>, work: () => Promise<T>): Promise<{ result: T; usage: PairUsage }> {
  const before = await counts(blender);
  const result = await work();
  const after = await counts(blender);
  return { result, usage: { passes: after.passes - before.passes, cached: after.hits - before.hits } };
}

/** "12 run (full rank: 20), 8 from the cache": short, so the status and timings keep to two lines. */
export function describeUsage(candidates: number, usage: PairUsage): string {
  const full = candidates * (candidates - 1);
  const cached = usage.cached > 0 ? `, ${usage.cached} from the cache` : '';
  return `${usage.passes} run (full rank: ${full})${cached}`;
}

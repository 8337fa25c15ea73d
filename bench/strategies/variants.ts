/**
 * The strategies the budget benchmark compares, with the options that select them and the
 * most passes each may make for one input of N candidates (the bounds). Options are
 * plain objects, not typed as RankOptions: strategies that have not landed yet are probed
 * and reported as unavailable instead of failing the run (see `probeVariant`).
 */

export interface Variant {
  /** Stable key in strategies.json, e.g. `sort/one`. */
  key: string;
  label: string;
  /** rank's options, without the per-set seed. */
  options: Record<string, unknown>;
  /** Most passes allowed for one input of n candidates. */
  maxPasses: (n: number) => number;
  /** Whether it orders every candidate (Kendall τ is reported) or only finds the best. */
  ordersAll: boolean;
  /** Whether it takes `seed` (a different order per set). */
  seeded: boolean;
}

/** ⌈log₂ n⌉ for n ≥ 1, in integers (no floating-point log at powers of two). */
export function log2Ceil(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

/** Adaptive's budget in the benchmark: 4 passes per candidate. */
export const adaptiveBudget = (n: number): number => 4 * n;

export function variantsFor(n: number): Variant[] {
  const budget = adaptiveBudget(n);
  return [
    { key: 'full', label: 'full', options: { strategy: 'full' }, maxPasses: (k) => k * (k - 1), ordersAll: true, seeded: false },
    { key: 'bubble', label: 'bubble', options: { strategy: 'bubble' }, maxPasses: (k) => 2 * (k - 1), ordersAll: false, seeded: true },
    {
      key: 'tournament',
      label: 'tournament k=1',
      options: { strategy: 'tournament', topK: 1 },
      maxPasses: (k) => 2 * (k - 1),
      ordersAll: false,
      seeded: false,
    },
    {
      key: 'tournament/one',
      label: "tournament k=1, orders 'one'",
      options: { strategy: 'tournament', topK: 1, orders: 'one' },
      maxPasses: (k) => k - 1,
      ordersAll: false,
      seeded: false,
    },
    { key: 'sort', label: 'sort', options: { strategy: 'sort' }, maxPasses: (k) => 2 * k * log2Ceil(k), ordersAll: true, seeded: false },
    {
      key: 'sort/one',
      label: "sort, orders 'one'",
      options: { strategy: 'sort', orders: 'one' },
      maxPasses: (k) => k * log2Ceil(k),
      ordersAll: true,
      seeded: false,
    },
    {
      key: 'adaptive',
      label: `adaptive, budget 4N = ${budget}`,
      options: { strategy: 'adaptive', budget },
      maxPasses: () => budget,
      ordersAll: true,
      seeded: false,
    },
    {
      key: 'adaptive/one',
      label: `adaptive, budget 4N = ${budget}, orders 'one'`,
      options: { strategy: 'adaptive', budget, orders: 'one' },
      maxPasses: () => budget,
      ordersAll: true,
      seeded: false,
    },
  ];
}

/** The options of one set's call: seeded strategies get the set's index as their seed. */
export const optionsFor = (variant: Variant, setIndex: number): Record<string, unknown> =>
  variant.seeded ? { ...variant.options, seed: setIndex } : variant.options;

/**
 * Whether `rank` accepts the variant: runs it once on a tiny set. Returns null when it runs,
 * else why not (the error's message), so a strategy that has not landed is reported as such.
 */
export async function probeVariant(rank: (options: Record<string, unknown>) => Promise<unknown>, variant: Variant): Promise<string | null> {
  try {
    await rank(optionsFor(variant, 0));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Per-strategy figures over many candidate sets of one size, and their summary. */
import { median } from '../lib/stats.mjs';
import { kendallTauB, topOneAgrees } from './agreement';
import type { Variant } from './variants';

export interface SetOutcome {
  ranks: readonly number[];
  passes: number;
  /** Scorer calls (sequential model runs); null where not counted. */
  rounds: number | null;
  /** Wall time of the call; null where not timed. */
  ms: number | null;
}

export interface VariantSummary {
  key: string;
  label: string;
  sets: number;
  passes: { median: number; max: number };
  rounds: { median: number; max: number } | null;
  maxPasses: number;
  withinBound: boolean;
  /** Share of sets whose best agrees with full's (0-1). */
  topOneAgreement: number;
  /** Median Kendall τ-b with full's ranks over the sets; null for strategies that only find the best. */
  tauMedian: number | null;
  /** Share of sets whose best is the set's known right answer (synthetic sets only). */
  topOneRight: number | null;
  /** Summed wall time of the sets' calls (ms); null where not timed. */
  totalMs: number | null;
}

export class VariantTally {
  private readonly outcomes: SetOutcome[] = [];
  private readonly agrees: boolean[] = [];
  private readonly taus: number[] = [];
  private readonly right: boolean[] = [];

  constructor(
    readonly variant: Variant,
    readonly n: number,
  ) {}

  /** One set: this strategy's outcome, full's ranks on the same set, and the right answer if known. */
  add(outcome: SetOutcome, fullRanks: readonly number[], rightIndex?: number): void {
    this.outcomes.push(outcome);
    this.agrees.push(topOneAgrees(fullRanks, outcome.ranks));
    if (this.variant.ordersAll) this.taus.push(kendallTauB(fullRanks, outcome.ranks));
    if (rightIndex !== undefined)
      this.right.push(
        topOneAgrees(
          outcome.ranks.map((_, i) => (i === rightIndex ? 1 : 2)),
          outcome.ranks,
        ),
      );
  }

  summary(): VariantSummary {
    const passes = this.outcomes.map((o) => o.passes);
    const rounds = this.outcomes.flatMap((o) => (o.rounds === null ? [] : [o.rounds]));
    const times = this.outcomes.flatMap((o) => (o.ms === null ? [] : [o.ms]));
    const share = (values: readonly boolean[]) => values.filter(Boolean).length / values.length;
    const maxPasses = this.variant.maxPasses(this.n);
    return {
      key: this.variant.key,
      label: this.variant.label,
      sets: this.outcomes.length,
      passes: { median: median(passes), max: Math.max(...passes) },
      rounds: rounds.length ? { median: median(rounds), max: Math.max(...rounds) } : null,
      maxPasses,
      withinBound: Math.max(...passes) <= maxPasses,
      topOneAgreement: share(this.agrees),
      tauMedian: this.variant.ordersAll ? median(this.taus.filter((t) => !Number.isNaN(t))) : null,
      topOneRight: this.right.length ? share(this.right) : null,
      totalMs: times.length ? times.reduce((a, b) => a + b, 0) : null,
    };
  }
}

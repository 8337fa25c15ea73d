// The summary of an eval run, accumulated row by row (so a resumed run counts the rows it
// found on disk without keeping them): per model, how often PairRM put it first and its mean
// rank; per metric the rows carry, how PairRM's order correlates with the metric (Spearman),
// how often its pick is the metric's best (the "oracle" selection rate), the mean metric of
// its pick, and the selection upper bound (mean of each row's best metric value), as the
// reference's ranker evaluation prints "sel" and "oracle"; with cmp_results, how often PairRM
// orders a judged pair as the judge did.
import type { RankRow } from '../../datasets/batch-rows';
import type { RankStrategy } from '../../engine/types';
import { strategyOrdersAll } from './eval-args';
import type { EvalRecord } from './rank-rows';
import { spearman } from './spearman';

export interface ModelSummary {
  model: string;
  /** Rows where the model had a candidate. */
  rows: number;
  /** Rows where it ranked first (a shared first place counts for each). */
  wins: number;
  winRate: number;
  /** Null when the strategy does not order every candidate (bubble, tournament). */
  meanRank: number | null;
}

export interface MetricSummary {
  metric: string;
  /** Rows where every candidate has this metric. */
  rows: number;
  /** Mean of the per-row Spearman rho between PairRM's order and the metric; null without an order. */
  spearman: number | null;
  /** Rows where rho is defined (neither PairRM's ranks nor the metric constant). */
  spearmanRows: number;
  /** Share of rows where PairRM's pick has the row's best value of the metric. */
  oracleRate: number;
  /** Mean metric of PairRM's pick ("sel" in the reference). */
  selected: number;
  /** Mean of each row's best metric value: the selection upper bound ("oracle" in the reference). */
  upperBound: number;
}

export interface JudgementSummary {
  /** "A is better" / "B is better" judgements between two ranked candidates. */
  decisive: number;
  /** Of those, PairRM ordered as the judge did (a PairRM tie counts one half). */
  agreement: number | null;
  /** "Same good" / "Same bad" judgements (not scored). */
  ties: number;
}

export interface EvalSummary {
  strategy: RankStrategy;
  rows: number;
  rejected: number;
  /** Ordered pairs the ranker ran in this process (resumed rows ran earlier; pair-cache hits are not runs). */
  pairsRun: number;
  /** Rows ranked in this process, and the seconds from the loaded model to the last write. */
  rowsRun: number;
  seconds: number;
  /** rowsRun / seconds and pairsRun / seconds. */
  rowsPerSecond: number;
  pairsPerSecond: number;
  models: ModelSummary[];
  metrics: MetricSummary[];
  judgements: JudgementSummary | null;
}

/** PairRM's pick: the first candidate (in the row's order) with rank 1. */
export function pickIndex(ranks: readonly number[]): number {
  const best = Math.min(...ranks);
  return ranks.indexOf(best);
}

interface MetricTally {
  rows: number;
  rhoSum: number;
  rhoRows: number;
  oracleHits: number;
  selectedSum: number;
  bestSum: number;
}

export class SummaryAccumulator {
  private readonly models = new Map<string, { rows: number; wins: number; rankSum: number }>();
  private readonly metrics = new Map<string, MetricTally>();
  private rows = 0;
  private rejected = 0;
  private decisive = 0;
  private agreed = 0;
  private judgementTies = 0;
  private judged = false;

  constructor(private readonly strategy: RankStrategy) {}

  reject(): void {
    this.rejected++;
  }

  add(row: RankRow, record: EvalRecord): void {
    this.rows++;
    const { ranks } = record;
    const best = Math.min(...ranks);
    record.models.forEach((model, i) => {
      const tally = this.models.get(model) ?? { rows: 0, wins: 0, rankSum: 0 };
      tally.rows++;
      tally.rankSum += ranks[i]!;
      if (ranks[i] === best) tally.wins++;
      this.models.set(model, tally);
    });
    if (row.metrics) this.addMetrics(row.metrics, ranks);
    if (row.judgements) this.addJudgements(row, record);
  }

  private addMetrics(metrics: readonly Record<string, number>[], ranks: readonly number[]): void {
    const names = new Set(metrics.flatMap((scores) => Object.keys(scores)));
    const pick = pickIndex(ranks);
    for (const name of names) {
      if (!metrics.every((scores) => name in scores)) continue;
      const values = metrics.map((scores) => scores[name]!);
      const tally = this.metrics.get(name) ?? { rows: 0, rhoSum: 0, rhoRows: 0, oracleHits: 0, selectedSum: 0, bestSum: 0 };
      const bestValue = Math.max(...values);
      tally.rows++;
      tally.bestSum += bestValue;
      tally.selectedSum += values[pick]!;
      if (values[pick] === bestValue) tally.oracleHits++;
      if (strategyOrdersAll(this.strategy)) {
        const rho = spearman(
          ranks.map((rank) => -rank),
          values,
        );
        if (rho !== null) {
          tally.rhoSum += rho;
          tally.rhoRows++;
        }
      }
      this.metrics.set(name, tally);
    }
  }

  private addJudgements(row: RankRow, record: EvalRecord): void {
    this.judged = true;
    for (const { a, b, verdict } of row.judgements ?? []) {
      if (verdict === 'Same good' || verdict === 'Same bad') {
        this.judgementTies++;
        continue;
      }
      const rankA = record.ranks[record.models.indexOf(a)];
      const rankB = record.ranks[record.models.indexOf(b)];
      if (rankA === undefined || rankB === undefined) continue;
      this.decisive++;
      const pairrmSaysA = rankA < rankB ? 1 : rankA > rankB ? 0 : 0.5;
      this.agreed += verdict === 'A is better' ? pairrmSaysA : 1 - pairrmSaysA;
    }
  }

  finish(run: { pairs: number; rows: number; seconds: number }): EvalSummary {
    const ordered = strategyOrdersAll(this.strategy);
    const per = (count: number) => (run.seconds > 0 ? count / run.seconds : 0);
    return {
      strategy: this.strategy,
      rows: this.rows,
      rejected: this.rejected,
      pairsRun: run.pairs,
      rowsRun: run.rows,
      seconds: run.seconds,
      rowsPerSecond: per(run.rows),
      pairsPerSecond: per(run.pairs),
      models: [...this.models].map(([model, { rows, wins, rankSum }]) => ({
        model,
        rows,
        wins,
        winRate: rows ? wins / rows : 0,
        meanRank: ordered && rows ? rankSum / rows : null,
      })),
      metrics: [...this.metrics].map(([metric, t]) => ({
        metric,
        rows: t.rows,
        spearman: ordered && t.rhoRows ? t.rhoSum / t.rhoRows : null,
        spearmanRows: t.rhoRows,
        oracleRate: t.oracleHits / t.rows,
        selected: t.selectedSum / t.rows,
        upperBound: t.bestSum / t.rows,
      })),
      judgements: this.judged ? { decisive: this.decisive, agreement: this.decisive ? this.agreed / this.decisive : null, ties: this.judgementTies } : null,
    };
  }
}

/** The summary as the table printed on stderr. */
export function summaryTable(summary: EvalSummary): string {
  const fixed = (value: number | null, digits = 3) => (value === null ? '-' : value.toFixed(digits));
  const pad = (cells: string[], widths: number[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
    return [pad(header, widths), ...rows.map((row) => pad(row, widths))].join('\n');
  };
  const parts = [
    `eval summary: ${summary.rows} rows ranked (${summary.strategy}), ${summary.rejected} rejected; this run: ${summary.rowsRun} rows, ` +
      `${summary.pairsRun} pairs in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond.toFixed(1)} rows/s, ${summary.pairsPerSecond.toFixed(1)} pairs/s)`,
  ];
  parts.push(
    table(
      ['model', 'rows', 'wins', 'win rate', 'mean rank'],
      summary.models.map((m) => [m.model, String(m.rows), String(m.wins), fixed(m.winRate), fixed(m.meanRank, 2)]),
    ),
  );
  if (summary.metrics.length > 0) {
    parts.push(
      table(
        ['metric', 'rows', 'spearman', 'oracle rate', 'selected', 'upper bound'],
        summary.metrics.map((m) => [m.metric, String(m.rows), fixed(m.spearman), fixed(m.oracleRate), fixed(m.selected, 4), fixed(m.upperBound, 4)]),
      ),
    );
  }
  if (summary.judgements) {
    const j = summary.judgements;
    parts.push(`cmp_results: agreement ${fixed(j.agreement)} on ${j.decisive} decisive judgements (${j.ties} "Same good/bad" not scored)`);
  }
  return parts.join('\n\n') + '\n';
}

// The batch's summary per candidate column (a model when the file names them, else a
// position): how often it won (ranked first, or won its A/B pair) and its mean rank.
import type { RankStrategy } from '../../client/index';
import { ordersEveryCandidate } from '../strategies';
import type { BatchKind } from '../../datasets/batch-rows';
import type { Outcome } from './batch-outcomes';

export interface ColumnSummary {
  model: string;
  /** Rows where this column had a candidate and the row ran. */
  rows: number;
  /** Rows it won: ranked 1 (ties at the top each count), or its side of a pair won. */
  wins: number;
  /** wins / rows, 0 when rows is 0. */
  winRate: number;
  /** Mean rank over its rows; null for pairs and for bubble and tournament (only the best are known). */
  meanRank: number | null;
}

export interface BatchSummary {
  kind: BatchKind;
  columns: ColumnSummary[];
  /** Rows that ran, and rows that did not (bad or failed). */
  ran: number;
  failed: number;
  /** A/B pairs whose logit was exactly 0 (neither side won). */
  ties: number;
  /** Mean M(A,B) - M(B,A) over the pairs; null for rankings. */
  meanLogit: number | null;
}

export function summarise(kind: BatchKind, models: readonly string[], outcomes: readonly Outcome[], strategy: RankStrategy): BatchSummary {
  const tally = new Map(models.map((model) => [model, { rows: 0, wins: 0, rankSum: 0 }]));
  const column = (model: string) => {
    let entry = tally.get(model);
    if (!entry) tally.set(model, (entry = { rows: 0, wins: 0, rankSum: 0 }));
    return entry;
  };
  let ran = 0;
  let failed = 0;
  let ties = 0;
  let logitSum = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') {
      failed++;
      continue;
    }
    ran++;
    if (outcome.kind === 'pair') {
      const a = column('a');
      const b = column('b');
      a.rows++;
      b.rows++;
      logitSum += outcome.logit;
      if (outcome.logit > 0) a.wins++;
      else if (outcome.logit < 0) b.wins++;
      else ties++;
      continue;
    }
    outcome.row.models.forEach((model, i) => {
      const entry = column(model);
      const rank = outcome.ranks[i]!;
      entry.rows++;
      entry.rankSum += rank;
      if (rank === 1) entry.wins++;
    });
  }
  const ranked = kind === 'rank' && ordersEveryCandidate(strategy);
  return {
    kind,
    columns: [...tally].map(([model, { rows, wins, rankSum }]) => ({
      model,
      rows,
      wins,
      winRate: rows ? wins / rows : 0,
      meanRank: ranked && rows ? rankSum / rows : null,
    })),
    ran,
    failed,
    ties,
    meanLogit: kind === 'pair' && ran ? logitSum / ran : null,
  };
}

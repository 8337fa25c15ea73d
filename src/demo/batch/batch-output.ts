// The batch's results as files to download: JSON Lines (one object per input row, in order)
// and CSV (one row per input row; candidate columns named as in the input).
import type { BatchKind } from '../../datasets/batch-rows';
import type { Outcome, RankOutcome } from './batch-outcomes';
import { toCsv } from '../../datasets/csv';

type CsvCell = string | number | null;

/** Names of the candidates ranked first (ties at the top: all of them). */
function bestOf(outcome: RankOutcome): string[] {
  return outcome.row.models.filter((_, i) => outcome.ranks[i] === 1);
}

function pairWinner(logit: number): 'a' | 'b' | 'tie' {
  return logit > 0 ? 'a' : logit < 0 ? 'b' : 'tie';
}

/** One JSON object per line; `named` adds each candidate's model (header or JSON key). */
export function resultsJsonl(outcomes: readonly Outcome[], named: boolean): string {
  return outcomes
    .map((outcome) => {
      if (outcome.kind === 'failed') {
        const { place, field, message, row } = outcome;
        const content = row ? { instruction: row.instruction, input: row.input } : {};
        return { row: place.row, line: place.line, ...content, error: message, field };
      }
      const { row } = outcome;
      if (outcome.kind === 'pair') {
        return {
          row: row.row,
          instruction: row.instruction,
          input: row.input,
          a: outcome.row.a,
          b: outcome.row.b,
          logit: outcome.logit,
          winner: pairWinner(outcome.logit),
        };
      }
      return {
        row: row.row,
        instruction: row.instruction,
        input: row.input,
        candidates: outcome.row.candidates,
        ...(named ? { models: outcome.row.models } : {}),
        ranks: outcome.ranks,
        ...(outcome.scores ? { scores: outcome.scores } : {}),
        best: bestOf(outcome),
      };
    })
    .map((object) => JSON.stringify(object) + '\n')
    .join('');
}

/** A CSV with the input's columns, then each column's rank (and score), the best, and any error. */
export function resultsCsv(kind: BatchKind, models: readonly string[], outcomes: readonly Outcome[]): string {
  if (kind === 'pair') {
    const rows: CsvCell[][] = [['row', 'instruction', 'input', 'a', 'b', 'logit', 'winner', 'error']];
    for (const outcome of outcomes) {
      if (outcome.kind === 'rank') continue;
      if (outcome.kind === 'failed') {
        const row = outcome.row?.kind === 'pair' ? outcome.row : null;
        rows.push([outcome.place.row, row?.instruction ?? '', row?.input ?? '', row?.a ?? '', row?.b ?? '', '', '', failure(outcome.field, outcome.message)]);
      } else {
        const { row, logit } = outcome;
        rows.push([row.row, row.instruction, row.input, row.a, row.b, logit, pairWinner(logit), '']);
      }
    }
    return toCsv(rows);
  }
  const withScores = outcomes.some((outcome) => outcome.kind === 'rank' && outcome.scores !== null);
  const header: CsvCell[] = [
    'row',
    'instruction',
    'input',
    ...models,
    ...models.map((model) => `rank: ${model}`),
    ...(withScores ? models.map((model) => `score: ${model}`) : []),
    'best',
    'error',
  ];
  const rows: CsvCell[][] = [header];
  for (const outcome of outcomes) {
    if (outcome.kind === 'pair') continue;
    const row = outcome.kind === 'rank' ? outcome.row : outcome.row?.kind === 'rank' ? outcome.row : null;
    const at = (model: string) => row?.models.indexOf(model) ?? -1;
    const texts = models.map((model) => (at(model) >= 0 ? row!.candidates[at(model)]! : ''));
    if (outcome.kind === 'failed') {
      const blanks = models.map(() => '');
      rows.push([
        outcome.place.row,
        row?.instruction ?? '',
        row?.input ?? '',
        ...texts,
        ...blanks,
        ...(withScores ? blanks : []),
        '',
        failure(outcome.field, outcome.message),
      ]);
      continue;
    }
    const ranks = models.map((model) => (at(model) >= 0 ? outcome.ranks[at(model)]! : ''));
    const scores = models.map((model) => (at(model) >= 0 && outcome.scores ? outcome.scores[at(model)]! : ''));
    rows.push([row!.row, row!.instruction, row!.input, ...texts, ...ranks, ...(withScores ? scores : []), bestOf(outcome).join('; '), '']);
  }
  return toCsv(rows);
}

function failure(field: string | null, message: string): string {
  return field ? `${field}: ${message}` : message;
}

// The results panel: candidates best first with their scores, the pairwise matrix, one
// comparison, the fused answer as it streams, and timings. Space is laid out before results
// arrive (pending rows and cells), so nothing below jumps while they fill in.
import { byId, el } from './dom';
import { formatDuration, shorten } from './format';
import { renderHeatmap } from './heatmap';
import type { Comparison, RankComputation } from './pairwise';
import { ordersEveryCandidate } from './strategies';

export interface Timings {
  /** The models' load, as the page saw it. */
  loadMs: number | null;
  rankMs?: number;
  passes?: number;
  /** What the pairs cost: run against a full rank, and from the pair cache. */
  usage?: string;
  fuseMs?: number;
  totalMs?: number;
}

export class ResultsView {
  private readonly ranking = byId<HTMLOListElement>('ranking');
  private readonly heatmap = byId('heatmap');
  private readonly comparison = byId('compare-result');
  private readonly fused = byId('fused');
  private readonly timings = byId('timings');
  /** Tokens cross from the worker as messages of their own; one landing after the end is dropped. */

  /** Pending rows and cells for `candidates`, before the first result is in. */
  showPending(candidates: readonly string[], withMatrix: boolean): void {
    this.ranking.setAttribute('aria-busy', 'true');
    this.ranking.replaceChildren(...candidates.map((text, i) => this.item('…', text, 'ranking…', i, true)));
    if (withMatrix)
      renderHeatmap(
        this.heatmap,
        candidates,
        candidates.map(() => candidates.map(() => null)),
      );
  }

  showRanking(candidates: readonly string[], result: RankComputation): void {
    const order = candidates
      .map((text, i) => ({ text, i, rank: result.ranks[i]!, score: result.scores?.[i] ?? null }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    this.ranking.replaceChildren(
      ...order.map(({ text, i, rank, score }) => {
        if (score !== null) return this.item(String(rank), text, `score ${score.toFixed(3)}`, i, false);
        // Sort and adaptive order every candidate; bubble and tournament find the best.
        if (ordersEveryCandidate(result.strategy)) return this.item(String(rank), text, `${result.strategy}: no score`, i, false);
        return rank === 1
          ? this.item('1', text, `best (${result.strategy})`, i, false)
          : this.item('–', text, `not ranked: ${result.strategy} finds only the best`, i, false);
      }),
    );
    this.ranking.setAttribute('aria-busy', 'false');
    if (result.matrix) renderHeatmap(this.heatmap, candidates, result.matrix);
    else
      this.heatmap.replaceChildren(
        el('p', {
          className: 'hint',
          text:
            result.strategy === 'bubble'
              ? 'No matrix with the bubble strategy: it compares only neighbours in one random order. Choose "full" to see every pair.'
              : `No matrix with the ${result.strategy} strategy: it runs only some of the pairs. Choose "full" to see every pair.`,
        }),
      );
  }

  clearRanking(message: string): void {
    this.ranking.setAttribute('aria-busy', 'false');
    this.ranking.replaceChildren(el('li', { className: 'hint', text: message }));
  }

  showComparison(a: { index: number; text: string }, b: { index: number; text: string }, result: Comparison): void {
    const winner = result.difference > 0 ? a : result.difference < 0 ? b : null;
    const verdict = winner ? `#${winner.index + 1} “${shorten(winner.text)}” is better` : 'A tie: neither is better';
    this.comparison.replaceChildren(
      el('strong', { text: verdict }),
      el('span', {
        className: 'detail',
        text: ` — M(A,B) = ${result.ab.toFixed(3)}, M(B,A) = ${result.ba.toFixed(3)}, difference ${result.difference.toFixed(3)} (A = #${a.index + 1}, B = #${b.index + 1})`,
      }),
    );
  }

  showComparisonMessage(message: string): void {
    this.comparison.textContent = message;
  }

  startFused(): void {
    this.fused.textContent = '';
    this.fused.setAttribute('aria-busy', 'true');
  }

  appendFused(text: string): void {
    // Follow the stream unless the reader scrolled up.
    const atEnd = this.fused.scrollHeight - this.fused.scrollTop - this.fused.clientHeight < 8;
    this.fused.append(text);
    if (atEnd) this.fused.scrollTop = this.fused.scrollHeight;
  }

  endFused(text: string | null): void {
    if (text !== null) this.fused.textContent = text;
    this.fused.setAttribute('aria-busy', 'false');
  }

  showTimings(timings: Timings): void {
    const parts: string[] = [];
    if (timings.loadMs !== null) parts.push(`models loaded in ${formatDuration(timings.loadMs)}`);
    if (timings.rankMs !== undefined && timings.passes !== undefined) {
      const perPair = timings.passes ? ` (${formatDuration(timings.rankMs / timings.passes)} per pair)` : '';
      parts.push(`${timings.passes} pair${timings.passes === 1 ? '' : 's'} in ${formatDuration(timings.rankMs)}${perPair}`);
    }
    if (timings.fuseMs !== undefined) parts.push(`fused in ${formatDuration(timings.fuseMs)}`);
    if (timings.totalMs !== undefined) parts.push(`total ${formatDuration(timings.totalMs)}`);
    if (timings.usage !== undefined) parts.push(timings.usage);
    this.timings.textContent = parts.join(' · ');
  }

  private item(rank: string, text: string, detail: string, index: number, pending: boolean): HTMLLIElement {
    return el('li', { className: pending ? 'ranked pending' : 'ranked' }, [
      el('span', { className: 'rank-badge', text: rank, attrs: { 'aria-label': `rank ${rank}` } }),
      el('span', { className: 'candidate-text', text }),
      el('span', { className: 'score', text: `${detail} · #${index + 1}` }),
    ]);
  }
}

import type { PairScorer } from '../bubble';
import { buildBracket, type Bracket } from './bracket';
import { runLockstep, type LockstepResult, type RoundMachine } from './lockstep';
import { passesPerMatch, type Orders } from './match';

/**
 * Knockout tournament with top-k by replacement selection (tournament sort, Knuth TAOCP 3,
 * §5.2.3): the bracket (bracket.ts) is played level by level, ⌈log₂N⌉ rounds and N−1
 * matches, and its root is the best. For the next place the winner's leaf is emptied and
 * only the matches on its path to the root are replayed: the leaf's parent becomes a bye,
 * so at most ⌈log₂N⌉−1 matches (one per round). The candidates that can take the next
 * place are exactly those that lost directly to an already placed one, and the replay
 * plays them against each other: the "re-match among those who lost to the winners".
 * Matches: at most N−1 + (k−1)(⌈log₂N⌉−1). Within a match the lower index is `a` (shown
 * first in the `one` order) and wins ties.
 */
export function tournamentMatchBound(n: number, topK: number): number {
  const depth = buildBracket(n).depth;
  return Math.max(0, n - 1) + (topK - 1) * Math.max(0, depth - 1);
}

/** Passes planned for these inputs: the match bound times the passes of one match. */
export function tournamentPassBound(counts: readonly number[], topK: number, orders: Orders): number {
  return counts.reduce((sum, n) => sum + tournamentMatchBound(n, topK) * passesPerMatch(orders), 0);
}

export interface TournamentResult extends LockstepResult {
  /** Per input: rank 1..k for the top k, k+1 shared by the rest. */
  ranks: number[][];
  /** Per input: the top k candidate indices, best first. */
  top: number[][];
}

/** Runs the tournament of every input in lockstep; `topK` ≤ each input's count. */
export async function tournamentRanks(counts: readonly number[], topK: number, orders: Orders, score: PairScorer): Promise<TournamentResult> {
  const machines = counts.map((n) => new TournamentMachine(n, topK));
  const run = await runLockstep(machines, orders, score);
  const top = machines.map((machine) => machine.top);
  const ranks = counts.map((n, input) => {
    const ranked = Array.from({ length: n }, () => topK + 1);
    top[input]!.forEach((candidate, place) => {
      ranked[candidate] = place + 1;
    });
    return ranked;
  });
  return { ...run, ranks, top };
}

/** Winner per node: a candidate, null for an emptied subtree, undefined while unplayed. */
type NodeWinner = number | null | undefined;

class TournamentMachine implements RoundMachine {
  readonly top: number[] = [];
  private readonly bracket: Bracket;
  private readonly winners: NodeWinner[];
  private readonly parent: number[];
  private waiting: number[] = [];

  constructor(
    n: number,
    private readonly topK: number,
  ) {
    this.bracket = buildBracket(n);
    this.winners = this.bracket.nodes.map((node, i) => (node.left === undefined ? i : undefined));
    this.parent = this.bracket.nodes.map(() => -1);
    this.bracket.nodes.forEach((node, i) => {
      if (node.left !== undefined) this.parent[node.left] = i;
      if (node.right !== undefined) this.parent[node.right] = i;
    });
    this.settle();
  }

  pending(): readonly (readonly [number, number])[] {
    return this.waiting.map((node) => this.contestants(node));
  }

  record(winners: readonly number[]): void {
    this.waiting.forEach((node, k) => {
      this.winners[node] = winners[k]!;
    });
    this.settle();
  }

  private contestants(node: number): [number, number] {
    const { left, right } = this.bracket.nodes[node]!;
    return [this.winners[left!]!, this.winners[right!]!];
  }

  /**
   * Resolves byes (an emptied side), collects the matches that are ready (both sides
   * known), and when the root is known places its winner and empties its leaf.
   */
  private settle(): void {
    for (;;) {
      this.waiting = [];
      this.bracket.nodes.forEach((node, i) => {
        if (node.left === undefined || this.winners[i] !== undefined) return;
        const left = this.winners[node.left];
        const right = this.winners[node.right!];
        if (left === undefined || right === undefined) return;
        if (left === null || right === null) this.winners[i] = left ?? right;
        else this.waiting.push(i);
      });
      const champion = this.winners[this.bracket.root];
      if (this.waiting.length > 0 || champion === undefined || champion === null || this.top.length >= this.topK) return;
      this.top.push(champion);
      if (this.top.length >= this.topK) return;
      // Empty the champion's leaf and reopen its path: only those matches are replayed.
      this.winners[champion] = null;
      for (let node = this.parent[champion]!; node !== -1; node = this.parent[node]!) this.winners[node] = undefined;
    }
  }
}

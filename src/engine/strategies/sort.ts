import type { PairScorer } from '../bubble';
import { buildHalvingTree, type Bracket } from './bracket';
import { runLockstep, type LockstepResult, type RoundMachine } from './lockstep';
import { passesPerMatch, type Orders } from './match';

/**
 * A complete order by merge sort over a balanced tree (bracket.ts' halving tree: halves
 * sorted, then merged). A merge starts as soon as both its halves are sorted, and every
 * merge that can advance does so in the same round, across all inputs.
 *
 * Each merge advances from both ends at once while both lists have 2+ elements left: the
 * heads decide the next best, the tails the next worst (2 matches, 2 elements placed per
 * round). When one list is down to a single element it is placed by binary search in the
 * other's remainder. Every match places at least one element, so a merge of T elements
 * costs at most T−1 matches and the sort at most Σ(size−1) over the bracket's merges,
 * ≤ N⌈log₂N⌉ (2N⌈log₂N⌉ passes in the `both` order). Rounds: about half those of a
 * one-ended merge, measured in src/engine/README.md. Within a match the lower index is
 * `a` (shown first in the `one` order) and wins ties.
 */
export function sortMatchBound(n: number): number {
  return buildHalvingTree(n).nodes.reduce((sum, node) => sum + (node.left === undefined ? 0 : node.size - 1), 0);
}

export function sortPassBound(counts: readonly number[], orders: Orders): number {
  return counts.reduce((sum, n) => sum + sortMatchBound(n) * passesPerMatch(orders), 0);
}

export interface SortResult extends LockstepResult {
  /** Per input: ranks 1..N, a strict order. */
  ranks: number[][];
  /** Per input: candidate indices, best first. */
  orders: number[][];
}

export async function sortRanks(counts: readonly number[], orders: Orders, score: PairScorer): Promise<SortResult> {
  const machines = counts.map((n) => new SortMachine(n));
  const run = await runLockstep(machines, orders, score);
  const sorted = machines.map((machine) => machine.result());
  const ranks = sorted.map((order) => {
    const ranked = order.map(() => 0);
    order.forEach((candidate, place) => {
      ranked[candidate] = place + 1;
    });
    return ranked;
  });
  return { ...run, ranks, orders: sorted };
}

/** Binary insertion of `x` into other[lo..hi) (the range still to search). */
interface Insertion {
  x: number;
  fromA: boolean;
  lo: number;
  hi: number;
}

/** One merge of two best-first lists. */
class Merge {
  private i = 0;
  private j = 0;
  private iEnd: number;
  private jEnd: number;
  private readonly front: number[] = [];
  private readonly back: number[] = [];
  private insertion: Insertion | undefined;
  private asked: ('front' | 'back' | 'insert')[] = [];

  constructor(
    private readonly a: readonly number[],
    private readonly b: readonly number[],
  ) {
    this.iEnd = a.length;
    this.jEnd = b.length;
  }

  /** Merged: one list is used up, the rest of the other follows in its order. */
  done(): boolean {
    return this.i === this.iEnd || this.j === this.jEnd;
  }

  /** This round's matches as [first, second] with the lower index first; [] when merged. */
  matches(): [number, number][] {
    const left = this.iEnd - this.i;
    const right = this.jEnd - this.j;
    this.asked = [];
    if (this.done()) return [];
    if (left >= 2 && right >= 2) {
      this.asked = ['front', 'back'];
      return [ordered(this.a[this.i]!, this.b[this.j]!), ordered(this.a[this.iEnd - 1]!, this.b[this.jEnd - 1]!)];
    }
    this.insertion ??=
      left === 1 ? { x: this.a[this.i]!, fromA: true, lo: this.j, hi: this.jEnd } : { x: this.b[this.j]!, fromA: false, lo: this.i, hi: this.iEnd };
    const { x, fromA, lo, hi } = this.insertion;
    this.asked = ['insert'];
    return [ordered(x, (fromA ? this.b : this.a)[(lo + hi) >> 1]!)];
  }

  record(winners: readonly number[]): void {
    this.asked.forEach((kind, k) => {
      const winner = winners[k]!;
      if (kind === 'front') {
        if (winner === this.a[this.i]) this.front.push(this.a[this.i++]!);
        else this.front.push(this.b[this.j++]!);
      } else if (kind === 'back') {
        // The worse tail goes to the back.
        if (winner === this.a[this.iEnd - 1]) this.back.push(this.b[--this.jEnd]!);
        else this.back.push(this.a[--this.iEnd]!);
      } else {
        const ins = this.insertion!;
        const mid = (ins.lo + ins.hi) >> 1;
        if (winner === ins.x) ins.hi = mid;
        else ins.lo = mid + 1;
        if (ins.lo === ins.hi) this.place(ins);
      }
    });
  }

  /** x goes before other[lo]: the rest of both lists is then in order. */
  private place({ x, fromA, lo }: Insertion): void {
    const other = fromA ? this.b : this.a;
    const start = fromA ? this.j : this.i;
    const end = fromA ? this.jEnd : this.iEnd;
    this.front.push(...other.slice(start, lo), x, ...other.slice(lo, end));
    this.i = this.iEnd;
    this.j = this.jEnd;
    this.insertion = undefined;
  }

  result(): number[] {
    return [...this.front, ...this.a.slice(this.i, this.iEnd), ...this.b.slice(this.j, this.jEnd), ...[...this.back].reverse()];
  }
}

function ordered(x: number, y: number): [number, number] {
  return x < y ? [x, y] : [y, x];
}

class SortMachine implements RoundMachine {
  private readonly bracket: Bracket;
  /** Sorted list per finished node; a Merge while merging; undefined before. */
  private readonly state: (number[] | Merge | undefined)[];
  private active: { merge: Merge; count: number }[] = [];

  constructor(n: number) {
    this.bracket = buildHalvingTree(n);
    this.state = this.bracket.nodes.map((node, i) => (node.left === undefined ? [i] : undefined));
  }

  pending(): readonly (readonly [number, number])[] {
    this.settle();
    this.active = [];
    const matches: [number, number][] = [];
    for (const state of this.state) {
      if (!(state instanceof Merge)) continue;
      const list = state.matches();
      this.active.push({ merge: state, count: list.length });
      matches.push(...list);
    }
    return matches;
  }

  record(winners: readonly number[]): void {
    let k = 0;
    for (const { merge, count } of this.active) {
      merge.record(winners.slice(k, k + count));
      k += count;
    }
  }

  result(): number[] {
    this.settle();
    const root = this.state[this.bracket.root];
    return Array.isArray(root) ? root : [];
  }

  /** Starts merges whose halves are sorted and closes merges that need no more matches. */
  private settle(): void {
    this.bracket.nodes.forEach((node, i) => {
      if (node.left === undefined) return;
      let state = this.state[i];
      if (state === undefined) {
        const left = this.state[node.left];
        const right = this.state[node.right!];
        if (!Array.isArray(left) || !Array.isArray(right)) return;
        state = this.state[i] = new Merge(left, right);
      }
      if (state instanceof Merge && state.done()) this.state[i] = state.result();
    });
  }
}

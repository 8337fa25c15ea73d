import type { PairScorer } from '../bubble';
import { buildHalvingTree, ceilLog2, type Bracket } from './bracket';
import { runLockstep, type LockstepResult, type RoundMachine } from './lockstep';
import { fitMargins, type MarginMatch } from './margin-fit';
import { passesPerMatch, type Orders } from './match';

/**
 * A complete order in two phases, every round of every input one scorer call.
 *
 * 1. Merge sort over a balanced tree (bracket.ts' halving tree: halves sorted, then merged).
 *    A merge starts as soon as both its halves are sorted, and every merge that can advance
 *    does so in the same round. Each merge advances from both ends at once while both lists
 *    have 2+ elements left: the heads decide the next best, the tails the next worst (2
 *    matches, 2 elements placed per round). When one list is down to a single element it is
 *    placed by binary search in the other's remainder. Every match places at least one
 *    element, so the merges cost at most Σ(size−1) matches over the tree's merges. Rounds:
 *    about N, half those of a one-ended merge (src/engine/README.md).
 * 2. Refinement with the matches the bound leaves (N⌈log₂N⌉ matches, 2N⌈log₂N⌉ passes in
 *    the `both` order; the merges use about two thirds): the order is refitted from the
 *    margins of every match played (margin-fit.ts: least squares, which on all pairs is
 *    exactly full's max_logits order), and the neighbours in it that never met play, closest
 *    positions first, as many disjoint pairs per round as the budget allows, until the
 *    budget is spent or every neighbour pair (up to REFINE_DISTANCE apart) has met.
 *
 * The result is the fitted order, ties kept in merge order. A merge sorts by who won; the
 * fit also weighs by how much, and a close call against one opponent is outweighed by the
 * other matches of both. Within a match the lower index is `a` (shown first in the `one`
 * order) and wins ties. No pair is played twice.
 */
export function sortMatchBound(n: number): number {
  return Math.min(n * ceilLog2(n), (n * (n - 1)) / 2);
}

/** The merges' matches at most: Σ(size−1) over the merge tree, ≤ sortMatchBound. */
export function mergeMatchBound(n: number): number {
  return buildHalvingTree(n).nodes.reduce((sum, node) => sum + (node.left === undefined ? 0 : node.size - 1), 0);
}

/** How far apart in the fitted order two candidates may be for a refinement match. */
export const REFINE_DISTANCE = 2;

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
  private readonly played: MarginMatch[] = [];
  private readonly met = new Set<number>();
  /** This round's matches (for record) and the fitted order, once the merges are done. */
  private asked: (readonly [number, number])[] = [];
  private fitted: number[] | undefined;

  constructor(private readonly n: number) {
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
    this.asked = matches.length > 0 ? matches : this.refinementRound();
    return this.asked;
  }

  record(winners: readonly number[], values: readonly number[]): void {
    this.asked.forEach(([a, b], k) => {
      this.played.push({ a, b, value: values[k]! });
      this.met.add(a * this.n + b);
    });
    let k = 0;
    for (const { merge, count } of this.active) {
      merge.record(winners.slice(k, k + count));
      k += count;
    }
    this.fitted = undefined;
  }

  result(): number[] {
    this.settle();
    const root = this.state[this.bracket.root];
    return Array.isArray(root) ? this.fittedOrder(root) : [];
  }

  /** The merged order refitted from every margin played; ties keep the merged order. */
  private fittedOrder(merged: readonly number[]): number[] {
    if (this.fitted) return this.fitted;
    const strengths = fitMargins(this.n, this.played);
    const place = new Map(merged.map((candidate, k) => [candidate, k]));
    this.fitted = [...merged].sort((x, y) => strengths[y]! - strengths[x]! || place.get(x)! - place.get(y)!);
    return this.fitted;
  }

  /**
   * After the merges: disjoint pairs of neighbours in the fitted order that have not met,
   * nearest first (distance 1, then 2), left to right, within what the bound leaves.
   */
  private refinementRound(): [number, number][] {
    const root = this.state[this.bracket.root];
    const left = sortMatchBound(this.n) - this.played.length;
    if (!Array.isArray(root) || left <= 0) return [];
    const order = this.fittedOrder(root);
    const busy = new Set<number>();
    const round: [number, number][] = [];
    for (let distance = 1; distance <= REFINE_DISTANCE; distance++) {
      for (let p = 0; p + distance < order.length && round.length < left; p++) {
        const [a, b] = ordered(order[p]!, order[p + distance]!);
        if (busy.has(a) || busy.has(b) || this.met.has(a * this.n + b)) continue;
        busy.add(a).add(b);
        round.push([a, b]);
      }
    }
    return round;
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

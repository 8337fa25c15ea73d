/**
 * A knockout bracket over candidates 0..N−1: leaves in index order, each level pairs
 * adjacent entries (0-1, 2-3, ...) and an odd last entry gets a bye (moves up unplayed).
 * N ≥ 2 gives ⌈log₂N⌉ levels; the left side of a node always holds the lower indices.
 * Nodes are listed children first (leaves, then internal nodes level by level), so one
 * pass in order sees every node after its children.
 */
export interface BracketNode {
  /** Children (node indices), absent for a leaf. */
  left?: number;
  right?: number;
  /** Number of leaves under the node. */
  size: number;
}

export interface Bracket {
  nodes: BracketNode[];
  root: number;
  /** Levels above the leaves: ⌈log₂N⌉. */
  depth: number;
}

export function buildBracket(n: number): Bracket {
  const nodes: BracketNode[] = Array.from({ length: n }, () => ({ size: 1 }));
  let level = nodes.map((_, i) => i);
  let depth = 0;
  while (level.length > 1) {
    const next: number[] = [];
    for (let k = 0; k + 1 < level.length; k += 2) {
      const left = level[k]!;
      const right = level[k + 1]!;
      nodes.push({ left, right, size: nodes[left]!.size + nodes[right]!.size });
      next.push(nodes.length - 1);
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
    depth++;
  }
  return { nodes, root: level[0] ?? -1, depth };
}

/** ⌈log₂n⌉ for n ≥ 1 (0 for n = 1). */
export function ceilLog2(n: number): number {
  let levels = 0;
  while (2 ** levels < n) levels++;
  return levels;
}

/**
 * A balanced merge tree over 0..N−1 (top-down halves, the larger half on the left), in the
 * same shape as a bracket and also children first. Its merges are of nearly equal lists,
 * which keeps merge sort's rounds near N where bottom-up pairing with a carried odd list
 * ends with lopsided merges (N = 40: 32 + 8).
 */
export function buildHalvingTree(n: number): Bracket {
  const nodes: BracketNode[] = Array.from({ length: n }, () => ({ size: 1 }));
  const build = (start: number, size: number): number => {
    if (size === 1) return start;
    const half = Math.ceil(size / 2);
    const left = build(start, half);
    const right = build(start + half, size - half);
    nodes.push({ left, right, size });
    return nodes.length - 1;
  };
  const root = n > 0 ? build(0, n) : -1;
  return { nodes, root, depth: ceilLog2(n) };
}

/**
 * Least-squares strengths from match margins: the s minimising Σ (s_a − s_b − value)² over
 * the matches played, with Σ s = 0. On every ordered pair (what `full` plays) this is exactly
 * full's `max_logits` score up to a factor and a shift: s_i = (1/N) Σ_j (M(i,j) − M(j,i))
 * (the graph Laplacian of the complete graph is N·I − J), so ordering by s on a subset of the
 * pairs estimates full's order from that subset. The margins are used, not only who won,
 * so a narrow win counts for less than a clear one.
 *
 * Solved by conjugate gradients on (L + J/N) s = r, where L is the Laplacian of the match
 * graph and r_i the sum of i's margins: positive definite when the graph is connected, and
 * each step costs O(matches), so large N stays cheap. A disconnected graph still converges
 * (to the least-squares solution within each component, each centred by J/N as a whole).
 */

/** One played match: `value` > 0 means `a` was better (M(a,b) − M(b,a), or M(a,b)). */
export interface MarginMatch {
  a: number;
  b: number;
  value: number;
}

const MAX_ITERATIONS_PER_CANDIDATE = 10;
const RELATIVE_TOLERANCE = 1e-12;

export function fitMargins(n: number, matches: readonly MarginMatch[]): number[] {
  const rhs = new Float64Array(n);
  for (const { a, b, value } of matches) {
    rhs[a] = rhs[a]! + value;
    rhs[b] = rhs[b]! - value;
  }
  const apply = (x: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i]!;
    mean /= n;
    for (let i = 0; i < n; i++) out[i] = mean;
    for (const { a, b } of matches) {
      const d = x[a]! - x[b]!;
      out[a] = out[a]! + d;
      out[b] = out[b]! - d;
    }
    return out;
  };
  const x = new Float64Array(n);
  const r = Float64Array.from(rhs);
  const p = Float64Array.from(r);
  let rr = dot(r, r);
  const stop = RELATIVE_TOLERANCE * RELATIVE_TOLERANCE * Math.max(rr, Number.MIN_VALUE);
  for (let iteration = 0; iteration < MAX_ITERATIONS_PER_CANDIDATE * n && rr > stop; iteration++) {
    const ap = apply(p);
    const step = rr / dot(p, ap);
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + step * p[i]!;
      r[i] = r[i]! - step * ap[i]!;
    }
    const next = dot(r, r);
    for (let i = 0; i < n; i++) p[i] = r[i]! + (next / rr) * p[i]!;
    rr = next;
  }
  return Array.from(x);
}

function dot(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}

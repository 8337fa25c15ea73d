/**
 * How far a cheaper strategy's ranking is from `full`'s: top-1 agreement and Kendall's τ-b.
 * Both take ranks as `rank` returns them (1 = best, ties share a rank).
 */

/** Indices of the candidates ranked 1. */
export function bestOf(ranks: readonly number[]): number[] {
  const best = Math.min(...ranks);
  return ranks.flatMap((rank, i) => (rank === best ? [i] : []));
}

/**
 * Whether `other` picks full's best: its rank-1 candidates (one, unless it ties at the top)
 * must all be among `reference`'s rank-1 candidates. A tie at the top of `reference` accepts
 * any of the tied; a tie at the top of `other` counts only when every tied one is a best.
 */
export function topOneAgrees(reference: readonly number[], other: readonly number[]): boolean {
  if (reference.length !== other.length) throw new Error(`rank lists differ in length: ${reference.length} vs ${other.length}`);
  const best = new Set(bestOf(reference));
  return bestOf(other).every((i) => best.has(i));
}

/**
 * Kendall's τ-b between two rankings of the same candidates: (concordant - discordant) /
 * sqrt((pairs - tied in a) (pairs - tied in b)). 1 = same order, -1 = reversed; ties count
 * as neither concordant nor discordant. NaN when either ranking ties every candidate (no
 * order to compare), as for N < 2.
 */
export function kendallTauB(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`rank lists differ in length: ${a.length} vs ${b.length}`);
  let concordant = 0;
  let discordant = 0;
  let tiedA = 0;
  let tiedB = 0;
  let pairs = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      pairs++;
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0) tiedA++;
      if (db === 0) tiedB++;
      if (da !== 0 && db !== 0) {
        if (da === db) concordant++;
        else discordant++;
      }
    }
  }
  const denominator = Math.sqrt((pairs - tiedA) * (pairs - tiedB));
  return denominator === 0 ? NaN : (concordant - discordant) / denominator;
}

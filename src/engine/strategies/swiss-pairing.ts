/**
 * Swiss-style pairing for one round of one input: candidates sorted by current strength
 * (best first, ties by index), each unpaired one matched with the nearest unpaired candidate
 * below it that it has not met yet. Close strengths make the most informative matches (the
 * outcome is least predictable there), and never repeating a pair spends every pass on new
 * information: the model is deterministic, so a rerun pair would say nothing new.
 *
 * With equal strengths (the first round) this is index order, (0,1), (2,3), ...: everyone
 * plays but the last of an odd count. Matches come out best first, so a round the budget
 * cuts short refines the top of the ranking.
 */
export function swissPairing(strengths: readonly number[], met: (a: number, b: number) => boolean): [number, number][] {
  const order = strengths.map((_, i) => i).sort((a, b) => strengths[b]! - strengths[a]! || a - b);
  const paired = new Set<number>();
  const matches: [number, number][] = [];
  order.forEach((a, position) => {
    if (paired.has(a)) return;
    const b = order.slice(position + 1).find((other) => !paired.has(other) && !met(a, other));
    if (b === undefined) return;
    paired.add(a).add(b);
    matches.push([a, b]);
  });
  return matches;
}

/** Part (a): simulated preference matrices through the real engine (bench/strategies/matrix-ranker.ts). */
import { MatrixRanker, type MatrixRankResult } from './matrix-ranker';
import { cyclesFor, DEFAULT_SIMULATION, simulateSet } from './simulate';
import { VariantTally, type VariantSummary } from './tally';
import { optionsFor, probeVariant, variantsFor } from './variants';

export interface SimulatedResults {
  setsPerN: number;
  /** Whether non-transitive triples were injected (the main profile) or not (the control). */
  cycles: boolean;
  sizes: { n: number; variants: VariantSummary[]; unavailable: { key: string; label: string; reason: string }[] }[];
}

/** Seed of set k at size n: distinct across sizes. */
export const simulatedSeed = (n: number, k: number): number => n * 100_003 + k;

export async function runSimulated(sizes: readonly number[], setsPerN: number, cycles: boolean, log: (line: string) => void): Promise<SimulatedResults> {
  const ranker = new MatrixRanker();
  let call = 0;
  // Each call gets its own source text, so the engine's pair cache never serves one call's rows to another.
  const rank = (matrix: number[][], options: Record<string, unknown>) => ranker.rank(matrix, call++, options);
  const out: SimulatedResults = { setsPerN, cycles, sizes: [] };
  for (const n of sizes) {
    const variants = variantsFor(n);
    const probe = simulateSet(n, 0).matrix;
    const unavailable: SimulatedResults['sizes'][number]['unavailable'] = [];
    const tallies: VariantTally[] = [];
    for (const variant of variants) {
      const reason = await probeVariant((options) => rank(probe, options), variant);
      if (reason === null) tallies.push(new VariantTally(variant, n));
      else unavailable.push({ key: variant.key, label: variant.label, reason });
    }
    const started = performance.now();
    for (let k = 0; k < setsPerN; k++) {
      const { matrix } = simulateSet(n, simulatedSeed(n, k), { ...DEFAULT_SIMULATION, cycles: cycles ? cyclesFor(n) : 0 });
      const results: MatrixRankResult[] = [];
      for (const tally of tallies) results.push(await rank(matrix, optionsFor(tally.variant, k)));
      const full = results[0]!.ranks;
      tallies.forEach((tally, v) => tally.add({ ...results[v]!, ms: null }, full));
    }
    out.sizes.push({ n, variants: tallies.map((t) => t.summary()), unavailable });
    log(
      `simulated${cycles ? '' : ' (no cycles)'} N=${n}: ${setsPerN} sets, ${tallies.length} strategies (${unavailable.length} not available), ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return out;
}

/**
 * Part (a): simulated preference matrices through the real engine (bench/strategies/matrix-ranker.ts).
 *
 * The main profile is calibrated per N on what synth-pairrm's full matrices over the synthetic
 * sets look like (matrix-stats.ts): the spread of the least-squares strengths, the per-order
 * noise around them and the position bias; injected non-transitive triples are added only as
 * far as the noise alone makes fewer cyclic triples than synth-pairrm shows (the fewest that
 * reach its rate on probe sets). The sensitivity profiles vary only the noise (x0.25, x0.5,
 * x2, no injected cycles) and keep the earlier hand-set profile (strengths sd 1.5, noise 0.5, bias 0.3, one
 * injected cycle per 8 candidates) for comparison: the figures are shown for all of them.
 */
import { MatrixRanker, type MatrixRankResult } from './matrix-ranker';
import { matrixStats, summarizeStats, type StatsSummary } from './matrix-stats';
import { cyclesFor, DEFAULT_SIMULATION, simulateSet, type SimulationSettings } from './simulate';
import { VariantTally, type VariantSummary } from './tally';
import { optionsFor, probeVariant, variantsFor, type Variant } from './variants';

export interface SimulatedResults {
  profile: string;
  description: string;
  setsPerN: number;
  sizes: {
    n: number;
    settings: SimulationSettings;
    matrixStats: StatsSummary;
    variants: VariantSummary[];
    unavailable: { key: string; label: string; reason: string }[];
  }[];
}

/** The per-N matrix statistics of the real ranker that the calibrated profile copies. */
export type Calibration = ReadonlyMap<number, StatsSummary>;

/** Seed of set k at size n: distinct across sizes. */
export const simulatedSeed = (n: number, k: number): number => n * 100_003 + k;

const PROBE_SETS = 50;

/** Mean cyclic-triple rate of probe sets (seeds apart from the measured ones). */
function cyclicRate(n: number, settings: SimulationSettings): number {
  const rates = Array.from({ length: PROBE_SETS }, (_, k) => matrixStats(simulateSet(n, 7_000_000 + simulatedSeed(n, k), settings).matrix).cyclicTripleRate);
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}

/** The calibrated settings at size n: the real ranker's spread, noise and bias; cycles up to its cyclic-triple rate. */
export function calibratedSettings(n: number, real: StatsSummary, noiseFactor = 1): SimulationSettings {
  const base = {
    strengthSpread: real.strengthSd,
    noise: real.noiseSd * noiseFactor,
    positionBias: real.positionBias,
    cycleMargin: DEFAULT_SIMULATION.cycleMargin,
  };
  let cycles = 0;
  while (cycles < Math.floor(n / 3) && cyclicRate(n, { ...base, cycles }) < real.cyclicTripleRate) cycles++;
  return { ...base, cycles };
}

export interface Profile {
  name: string;
  description: string;
  settings: (n: number) => SimulationSettings;
  /** Which variants run (the sensitivity profiles run only those with targets). */
  variants: (variant: Variant) => boolean;
}

export function profiles(calibration: Calibration | null): Profile[] {
  const handSet: Profile = {
    name: 'hand-set',
    description: 'strengths sd 1.5, noise sd 0.5 per order, position bias +0.3, max(1, round(N/8)) injected cycles (the earlier profile)',
    settings: (n) => ({ ...DEFAULT_SIMULATION, cycles: cyclesFor(n) }),
    variants: (v) => !v.key.endsWith('/one') && v.key !== 'bubble',
  };
  if (!calibration) return [{ ...handSet, variants: () => true }];
  const real = (n: number) => {
    const found = calibration.get(n);
    if (!found) throw new Error(`no synth-pairrm matrix statistics at N = ${n} to calibrate on`);
    return found;
  };
  // Only the noise changes: no injected cycles, so the row shows what noise alone does.
  const scaled = (factor: number): Profile => ({
    name: `noise x${factor}`,
    description: `calibrated spread and bias, the noise times ${factor}, no injected cycles`,
    settings: (n) => ({ ...calibratedSettings(n, real(n)), noise: real(n).noiseSd * factor, cycles: 0 }),
    variants: handSet.variants,
  });
  return [
    {
      name: 'calibrated',
      description: "synth-pairrm's strength spread, noise and position bias at each N; injected cycles up to its cyclic-triple rate",
      settings: (n) => calibratedSettings(n, real(n)),
      variants: () => true,
    },
    scaled(0.25),
    scaled(0.5),
    scaled(2),
    handSet,
  ];
}

export async function runSimulated(sizes: readonly number[], setsPerN: number, profile: Profile, log: (line: string) => void): Promise<SimulatedResults> {
  const ranker = new MatrixRanker();
  let call = 0;
  // Each call gets its own source text, so the engine's pair cache never serves one call's rows to another.
  const rank = (matrix: number[][], options: Record<string, unknown>) => ranker.rank(matrix, call++, options);
  const out: SimulatedResults = { profile: profile.name, description: profile.description, setsPerN, sizes: [] };
  for (const n of sizes) {
    const variants = variantsFor(n).filter(profile.variants);
    const settings = profile.settings(n);
    const probe = simulateSet(n, 0, settings).matrix;
    const unavailable: SimulatedResults['sizes'][number]['unavailable'] = [];
    const tallies: VariantTally[] = [];
    for (const variant of variants) {
      const reason = await probeVariant((options) => rank(probe, options), variant);
      if (reason === null) tallies.push(new VariantTally(variant, n));
      else unavailable.push({ key: variant.key, label: variant.label, reason });
    }
    const started = performance.now();
    const stats = [];
    for (let k = 0; k < setsPerN; k++) {
      const { matrix } = simulateSet(n, simulatedSeed(n, k), settings);
      stats.push(matrixStats(matrix));
      const results: MatrixRankResult[] = [];
      for (const tally of tallies) results.push(await rank(matrix, optionsFor(tally.variant, k)));
      const full = results[0]!.ranks;
      tallies.forEach((tally, v) => tally.add({ ...results[v]!, ms: null }, full));
    }
    out.sizes.push({ n, settings, matrixStats: summarizeStats(stats), variants: tallies.map((t) => t.summary()), unavailable });
    log(`simulated (${profile.name}) N=${n}: ${setsPerN} sets, ${tallies.length} strategies, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return out;
}

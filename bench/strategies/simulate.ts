/**
 * Simulated preference matrices for the strategy benchmark: what a pairwise ranker's logits
 * look like when candidates have an underlying quality (Bradley–Terry strengths), the model
 * is noisy (Gaussian noise on every ordered logit, independently), prefers one position a
 * little (a constant bias on M[i][j], which cancels in M[i][j] - M[j][i]), and is not always
 * transitive (injected cycles a > b > c > a). Seeded: the same seed gives the same matrix.
 */
import { mulberry32, randomPermutation } from '../../src/engine/seeded-random';

export interface SimulationSettings {
  /** Standard deviation of the strengths (logit units). */
  strengthSpread: number;
  /** Standard deviation of the noise on each ordered logit. */
  noise: number;
  /** Added to every M[i][j], i != j: PairRM's position preference. */
  positionBias: number;
  /** How many disjoint non-transitive triples to inject (as many as fit in N). */
  cycles: number;
  /** Least combined score M[x][y] - M[y][x] of a cycle edge. */
  cycleMargin: number;
}

export const DEFAULT_SIMULATION: Omit<SimulationSettings, 'cycles'> = { strengthSpread: 1.5, noise: 0.5, positionBias: 0.3, cycleMargin: 0.5 };

/** About one injected cycle per 8 candidates, at least one. */
export const cyclesFor = (n: number): number => Math.max(1, Math.round(n / 8));

export interface SimulatedSet {
  /** matrix[i][j]: the logit of i (first) against j; diagonal 0. */
  matrix: number[][];
  strengths: number[];
  /** Each [a, b, c] with a beating b, b beating c and c beating a (combined scores > 0). */
  cycles: [number, number, number][];
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) is excluded
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One candidate set of size n. */
export function simulateSet(n: number, seed: number, settings: SimulationSettings = { ...DEFAULT_SIMULATION, cycles: cyclesFor(n) }): SimulatedSet {
  const random = mulberry32(seed);
  const strengths = Array.from({ length: n }, () => settings.strengthSpread * gaussian(random));
  const matrix = strengths.map((si, i) => strengths.map((sj, j) => (i === j ? 0 : si - sj + settings.positionBias + settings.noise * gaussian(random))));
  const count = Math.min(settings.cycles, Math.floor(n / 3));
  const members = randomPermutation(n, random).slice(0, 3 * count);
  const cycles: [number, number, number][] = [];
  for (let k = 0; k < count; k++) {
    const [a, b, c] = [members[3 * k]!, members[3 * k + 1]!, members[3 * k + 2]!];
    cycles.push([a, b, c]);
    // Each edge x > y: both orders keep the position bias and share one noise draw, centred
    // so that M[x][y] - M[y][x] = margin + |noise| > 0 whatever the strengths say: an upset of
    // about the size of the model's noise, not of the strength gap.
    for (const [x, y] of [
      [a, b],
      [b, c],
      [c, a],
    ] as const) {
      const size = settings.cycleMargin + settings.noise * Math.abs(gaussian(random));
      const noiseXY = settings.noise * gaussian(random) * 0.5;
      matrix[x]![y] = size / 2 + settings.positionBias + noiseXY;
      matrix[y]![x] = -size / 2 + settings.positionBias + noiseXY;
    }
  }
  return { matrix, strengths, cycles };
}

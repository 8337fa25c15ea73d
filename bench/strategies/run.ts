/** The "Ranking on a budget" measurement: simulated sets, synthetic sets, and the large model when present. */
import { profiles, runSimulated, type Calibration, type SimulatedResults } from './simulated-run';
import { runSynth, type SynthResults } from './synth-run';

export type StrategiesPart = 'simulated' | 'synth' | 'large';

export interface StrategiesSettings {
  quick: boolean;
  /** The parts to run; the others are left out of the results (strategies.mjs keeps their last figures). */
  parts: readonly StrategiesPart[];
  sizes: readonly number[];
  simulatedSetsPerN: number;
  synth: { model: string; dtype: 'fp32' | 'q8'; setsPerN: number };
  large: { model: string; dtype: 'fp32' | 'q8'; sizes: readonly number[]; setsPerN: number } | null;
  /** Where the large model was looked for (reported when absent). */
  largeWanted: string;
  setsFile: string;
  /** synth-pairrm's figures from an earlier run, to calibrate on when the synth part does not run now. */
  previousSynth: SynthResults | null;
}

export interface StrategiesResults {
  quick: boolean;
  /** The main simulated profile: calibrated on synth-pairrm's matrices. */
  simulated?: SimulatedResults;
  /** The same seeds under other noise levels and profiles (the strategies with targets only). */
  simulatedSensitivity?: SimulatedResults[];
  synth?: SynthResults;
  large?: SynthResults | { absent: string };
}

export async function runStrategies(settings: StrategiesSettings, log: (line: string) => void): Promise<StrategiesResults> {
  const out: StrategiesResults = { quick: settings.quick };
  // synth first: the simulation is calibrated on its matrices.
  if (settings.parts.includes('synth')) out.synth = await runSynth({ ...settings.synth, sizes: settings.sizes, setsFile: settings.setsFile }, log);
  if (settings.parts.includes('simulated')) {
    const synth = out.synth ?? settings.previousSynth;
    const calibration: Calibration | null = synth?.sizes.every((s) => s.matrixStats) ? new Map(synth.sizes.map((s) => [s.n, s.matrixStats])) : null;
    if (!calibration) log('no synth-pairrm matrix statistics to calibrate on: the hand-set profile only');
    const [main, ...rest] = profiles(calibration);
    out.simulated = await runSimulated(settings.sizes, settings.simulatedSetsPerN, main!, log);
    out.simulatedSensitivity = [];
    for (const profile of rest) out.simulatedSensitivity.push(await runSimulated(settings.sizes, settings.simulatedSetsPerN, profile, log));
  }
  if (settings.parts.includes('large'))
    out.large = settings.large ? await runSynth({ ...settings.large, setsFile: settings.setsFile, smallWarmUp: true }, log) : { absent: settings.largeWanted };
  return out;
}

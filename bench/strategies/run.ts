/** The "Ranking on a budget" measurement: simulated sets, synthetic sets, and the large model when present. */
import { runSimulated, type SimulatedResults } from './simulated-run';
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
}

export interface StrategiesResults {
  quick: boolean;
  simulated?: SimulatedResults;
  /** The same seeds without injected cycles: how much of the gap to full is noise alone. */
  simulatedNoCycles?: SimulatedResults;
  synth?: SynthResults;
  large?: SynthResults | { absent: string };
}

export async function runStrategies(settings: StrategiesSettings, log: (line: string) => void): Promise<StrategiesResults> {
  const out: StrategiesResults = { quick: settings.quick };
  if (settings.parts.includes('simulated')) {
    out.simulated = await runSimulated(settings.sizes, settings.simulatedSetsPerN, true, log);
    out.simulatedNoCycles = await runSimulated(settings.sizes, settings.simulatedSetsPerN, false, log);
  }
  if (settings.parts.includes('synth')) out.synth = await runSynth({ ...settings.synth, sizes: settings.sizes, setsFile: settings.setsFile }, log);
  if (settings.parts.includes('large'))
    out.large = settings.large ? await runSynth({ ...settings.large, setsFile: settings.setsFile, smallWarmUp: true }, log) : { absent: settings.largeWanted };
  return out;
}

/**
 * Part (b): candidate sets from the synthetic ranker's test split (synth-sets.json, made by
 * make_synth_sets.py) ranked by a real model through the Node entry (onnxruntime-node), with
 * wall times. One blender serves every strategy, its pair cache off, so each call pays for
 * its own passes; within a set the strategies run in a rotating order, so a slow moment of
 * the machine is spread over all of them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlender } from '../../src/node/index';
import { matrixStats, summarizeStats, type MatrixStats, type StatsSummary } from './matrix-stats';
import { rowLengths, type RowLengths } from './row-lengths';
import { VariantTally, type VariantSummary } from './tally';
import { optionsFor, probeVariant, variantsFor } from './variants';

export interface SynthSet {
  family: string;
  instruction: string;
  input: string;
  candidates: string[];
  /** Index of the right answer in `candidates`. */
  right: number;
  /** Per candidate: 0 the right answer, 1 a near miss, 2 further off (make_synth_sets.py). */
  grades?: number[];
}

export interface SynthRunSettings {
  model: string;
  dtype: 'fp32' | 'fp16' | 'q8' | 'q4';
  sizes: readonly number[];
  setsPerN: number;
  setsFile: string;
  /** Warm each strategy up on the first set's first 3 candidates instead of the whole set (the large model: seconds per pass). */
  smallWarmUp?: boolean;
}

export interface SynthResults {
  model: string;
  dtype: string;
  /** sha256 of the ONNX file that ran, so a later rebuild of the folder is not mistaken for it. */
  modelFile: { path: string; sha256: string } | null;
  /** The blender's pair cache capacity during the run (0 = off, as intended). */
  pairCache: number | null;
  loadMs: number;
  sizes: {
    n: number;
    sets: number;
    families: Record<string, number>;
    /** Tokens per model row over the sets' ordered pairs (what a pass costs depends on it). */
    rowTokens: RowLengths;
    /** full's matrices over the sets: noise, cycles, position bias, Condorcet winners (the simulation is calibrated on these). */
    matrixStats: StatsSummary;
    variants: VariantSummary[];
    unavailable: { key: string; label: string; reason: string }[];
  }[];
}

export function readSynthSets(path: string): Record<string, SynthSet[]> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { sets: Record<string, SynthSet[]> };
  return parsed.sets;
}

const DTYPE_FILES: Record<string, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function runSynth(settings: SynthRunSettings, log: (line: string) => void): Promise<SynthResults> {
  const all = readSynthSets(settings.setsFile);
  const onnxPath = join(settings.model, DTYPE_FILES[settings.dtype]!);
  const modelFile = existsSync(onnxPath) ? { path: DTYPE_FILES[settings.dtype]!, sha256: await sha256Of(onnxPath) } : null;
  const started = performance.now();
  const blender = await createBlender({ ranker: settings.model, dtype: settings.dtype, device: 'cpu', pairCache: 0 });
  const info = await blender.info();
  const out: SynthResults = {
    model: settings.model,
    dtype: settings.dtype,
    modelFile,
    pairCache: info.ranker?.pairCache?.capacity ?? null,
    loadMs: performance.now() - started,
    sizes: [],
  };
  const passesSoFar = async () => (await blender.info()).ranker?.passes ?? 0;
  try {
    for (const n of settings.sizes) {
      const sets = (all[String(n)] ?? []).slice(0, settings.setsPerN);
      if (sets.length === 0) continue;
      // The options are checked at run time (a strategy may not have landed: see variants.ts).
      const rankSet = (set: SynthSet, options: Record<string, unknown>) =>
        blender.rank<false>([set.input], [set.candidates], { ...options, instructions: [set.instruction] });
      // full also returns its matrix (for matrixStats); its ranks are read from it.
      const rankRanks = async (set: SynthSet, options: Record<string, unknown>, stats: MatrixStats[]) => {
        if (options['strategy'] !== 'full') return (await rankSet(set, options))[0]!;
        const details = await blender.rank<true>([set.input], [set.candidates], { ...options, instructions: [set.instruction], returnMatrix: true });
        stats.push(matrixStats(details.matrices[0]!));
        return details.ranks[0]!;
      };
      const stats: MatrixStats[] = [];
      const tallies: VariantTally[] = [];
      const unavailable: SynthResults['sizes'][number]['unavailable'] = [];
      // The probe is also each strategy's warm-up call.
      const warmUpSet = settings.smallWarmUp ? { ...sets[0]!, candidates: sets[0]!.candidates.slice(0, 3) } : sets[0]!;
      for (const variant of variantsFor(n)) {
        const reason = await probeVariant((options) => rankSet(warmUpSet, options), variant);
        if (reason === null) tallies.push(new VariantTally(variant, n));
        else unavailable.push({ key: variant.key, label: variant.label, reason });
      }
      const sizeStarted = performance.now();
      for (const [k, set] of sets.entries()) {
        const outcomes = new Array<{ ranks: number[]; passes: number; ms: number }>(tallies.length);
        for (let step = 0; step < tallies.length; step++) {
          const v = (k + step) % tallies.length;
          const before = await passesSoFar();
          const callStarted = performance.now();
          const ranks = await rankRanks(set, optionsFor(tallies[v]!.variant, k), stats);
          const ms = performance.now() - callStarted;
          outcomes[v] = { ranks, passes: (await passesSoFar()) - before, ms };
        }
        tallies.forEach((tally, v) => tally.add({ ...outcomes[v]!, rounds: null }, outcomes[0]!.ranks, set.right));
      }
      const families: Record<string, number> = {};
      for (const set of sets) families[set.family] = (families[set.family] ?? 0) + 1;
      out.sizes.push({
        n,
        sets: sets.length,
        families,
        rowTokens: rowLengths(settings.model, sets),
        matrixStats: summarizeStats(stats),
        variants: tallies.map((t) => t.summary()),
        unavailable,
      });
      log(
        `${settings.model} ${settings.dtype} N=${n}: ${sets.length} sets, ${tallies.length} strategies, ${((performance.now() - sizeStarted) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await blender.dispose();
  }
  return out;
}

// The bundled synth fuser (public/models/synth-fuser: a tiny Flan-T5 trained by tools/synth on
// generated fusion tasks): the torch goldens through the Node path (greedy and 4 beams, fp32),
// held-out test rows (it must beat the first-candidate baseline where candidates have to be
// merged), the quantized variants against fp32, and the folder itself.
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type NodeBlender } from '../../src/node';
import type { Goldens } from '../fuse/fuser-goldens';
import { expectManifestMatchesFolder, listFiles } from './model-folder-checks';
import { readJson, REPO } from './pairrm-golden';

const SYNTH_FUSER = join(REPO, 'public/models/synth-fuser');
const MAX_FOLDER_BYTES = 8 * 1000 * 1000;
const MAX_NEW_TOKENS = 64; // as tools/synth/train_fuser.py's TARGET_MAX_TOKENS
// Bars well under what tools/synth/FUSER_RESULTS.md measures on the whole test split, so a
// correct model cannot fail them while a random-weight fuser (0%) or a broken prompt does.
const MIN_HELDOUT_EXACT = 0.5;
const MIN_Q8_SAME_AS_FP32 = 0.6;

interface HeldoutRow {
  family: string;
  instruction: string;
  input: string;
  candidates: string[];
  target: string;
}

const goldens = readJson<Goldens & { model: string }>(join(REPO, 'test/golden/synth-fuser.json'));
const withinLimit = goldens.cases.filter((c) => !c.over_total_limit);
const heldout = readFileSync(join(REPO, 'test/fixtures/synth/fuser-heldout.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as HeldoutRow);
const MERGE_FAMILIES = ['merge_facts', 'merge_list'];

/** Whitespace-collapsed equality: the held-out figures' exact match (tools/synth/fuser_eval.py). */
const same = (a: string, b: string) => a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');

/** Token F1 with word and punctuation tokens, case kept (tools/synth/fuser_eval.py's definition). */
function tokenF1(prediction: string, target: string): number {
  const tokens = (text: string) => text.match(/\w+|[^\w\s]/g) ?? [];
  const predicted = tokens(prediction);
  const wanted = tokens(target);
  if (predicted.length === 0 || wanted.length === 0) return Number(predicted.length === wanted.length);
  const left = new Map<string, number>();
  for (const t of wanted) left.set(t, (left.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of predicted) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      common += 1;
      left.set(t, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function share(flags: boolean[]): number {
  return flags.filter(Boolean).length / flags.length;
}

const fp32Greedy = new Map<string, string[]>();

async function greedyHeldout(blender: NodeBlender): Promise<string[]> {
  return blender.fuse(
    heldout.map((r) => r.input),
    heldout.map((r) => r.candidates),
    { instructions: heldout.map((r) => r.instruction), numBeams: 1, maxNewTokens: MAX_NEW_TOKENS },
  );
}

describe('synth fuser, fp32 through the Node blender', () => {
  let blender: NodeBlender;
  beforeAll(async () => {
    blender = await createBlender({ ranker: null, fuser: SYNTH_FUSER, device: 'cpu', dtype: 'fp32', threads: 1 });
  });
  afterAll(() => blender.dispose());

  it('goldens were made for this folder, with its limits', () => {
    expect(goldens.model).toBe('public/models/synth-fuser');
    expect(withinLimit.length).toBeGreaterThanOrEqual(10);
    const config = readJson<Record<string, unknown>>(join(SYNTH_FUSER, 'config.json'));
    expect(config).toMatchObject({ source_max_tokens: goldens.source_max_tokens, candidate_max_tokens: goldens.candidate_max_tokens });
  });

  it('greedy and 4-beam answers equal the torch goldens', async () => {
    const options = { instructions: withinLimit.map((c) => c.instruction), maxNewTokens: goldens.max_new_tokens };
    const inputs = withinLimit.map((c) => c.input);
    const candidates = withinLimit.map((c) => c.candidates);
    expect(await blender.fuse(inputs, candidates, { ...options, numBeams: 1 })).toEqual(withinLimit.map((c) => c.greedy.text));
    expect(await blender.fuse(inputs, candidates, { ...options, numBeams: goldens.num_beams })).toEqual(withinLimit.map((c) => c.beam.text));
  });

  it(`answers held-out test rows (exact match >= ${MIN_HELDOUT_EXACT * 100}%) and beats the first candidate's token F1 on the merge families`, async () => {
    const fused = await greedyHeldout(blender);
    fp32Greedy.set('fp32', fused);
    const families = [...new Set(heldout.map((r) => r.family))].sort();
    const perFamily = families.map((family) => {
      const rows = heldout.map((r, i) => [r, i] as const).filter(([r]) => r.family === family);
      return {
        family,
        fuser: share(rows.map(([r, i]) => same(fused[i]!, r.target))),
        fuserF1: mean(rows.map(([r, i]) => tokenF1(fused[i]!, r.target))),
        firstF1: mean(rows.map(([r]) => tokenF1(r.candidates[0]!, r.target))),
      };
    });
    const line = perFamily.map((f) => `${f.family} ${f.fuser.toFixed(2)} ${f.fuserF1.toFixed(2)} (${f.firstF1.toFixed(2)})`).join(', ');
    console.log(`synth-fuser held-out, exact match and token F1 (first candidate's F1): ${line}`);
    expect(families.length).toBe(7);
    expect(share(heldout.map((r, i) => same(fused[i]!, r.target)))).toBeGreaterThanOrEqual(MIN_HELDOUT_EXACT);
    for (const f of perFamily.filter((x) => MERGE_FAMILIES.includes(x.family))) expect(f.fuserF1, f.family).toBeGreaterThan(f.firstF1);
  });
});

describe('synth fuser variants', () => {
  it.each([['q8'], ['q4'], ['fp16']] as const)('%s loads in Node and its greedy answers are logged against fp32', async (dtype) => {
    const blender = await createBlender({ ranker: null, fuser: SYNTH_FUSER, device: 'cpu', dtype, threads: 1 });
    try {
      const fused = await greedyHeldout(blender);
      const reference = fp32Greedy.get('fp32');
      expect(reference, 'the fp32 test runs first').toBeDefined();
      const agreement = share(fused.map((text, i) => text === reference![i]));
      const exact = share(heldout.map((r, i) => same(fused[i]!, r.target)));
      console.log(
        `synth-fuser ${dtype}: same greedy answer as fp32 on ${(100 * agreement).toFixed(0)}% of ${heldout.length} held-out rows; exact match ${(100 * exact).toFixed(0)}%`,
      );
      if (dtype === 'q8' || dtype === 'fp16') expect(agreement).toBeGreaterThanOrEqual(MIN_Q8_SAME_AS_FP32);
      else expect(fused.every((text) => typeof text === 'string')).toBe(true);
    } finally {
      await blender.dispose();
    }
  });
});

describe('synth fuser folder', () => {
  it(`holds every variant and the tokenizer in at most ${MAX_FOLDER_BYTES} bytes`, () => {
    const files = listFiles(SYNTH_FUSER);
    const names = files.map((f) => relative(SYNTH_FUSER, f).split('\\').join('/'));
    for (const graph of ['encoder_model', 'decoder_model_merged'])
      for (const suffix of ['', '_fp16', '_quantized', '_q4']) expect(names).toContain(`onnx/${graph}${suffix}.onnx`);
    expect(names).toContain('tokenizer.json');
    expect(files.reduce((sum, f) => sum + statSync(f).size, 0)).toBeLessThanOrEqual(MAX_FOLDER_BYTES);
  });

  it('manifest lists every file with its size and sha256', () => {
    expectManifestMatchesFolder(SYNTH_FUSER);
  });
});

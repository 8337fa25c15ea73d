// The bundled synth ranker (public/models/synth-pairrm, trained by tools/synth on generated
// preference data): goldens parity of every ONNX variant, the whole Node path on them,
// accuracy on held-out test rows, the README rank example's order, and the folder itself.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type NodeBlender } from '../../src/node';
import { readJson, REPO, type PairRMGoldens } from './pairrm-golden';
import { expectEveryVariantWithin, expectManifestMatchesFolder } from './model-folder-checks';
import { openSession, padRows, runPairRM } from './pairrm-onnx';
import { readHeldout } from './synth-heldout';

const SYNTH_PAIRRM = join(REPO, 'public/models/synth-pairrm');
const MAX_FOLDER_BYTES = 8 * 1000 * 1000;
// Measured on this sample: see tools/synth/RESULTS.md and the log line below. The bar sits
// well under it so that a correct model cannot fail it, while a random-weight one (about 50%)
// or a broken tokenizer / pair rule does.
const MIN_HELDOUT_ACCURACY = 0.75;

const goldens = readJson<PairRMGoldens>(join(REPO, 'test/golden/synth-pairrm.json'));
const goldenLogits = goldens.pairs.map((p) => p.logit);

const heldout = readHeldout();

async function variantLogits(file: string): Promise<Float32Array> {
  const session = await openSession(join(SYNTH_PAIRRM, 'onnx', file));
  const { ids, mask } = padRows(
    goldens.pairs.map((p) => p.input_ids),
    0,
  );
  return (await runPairRM(session, ids, mask)).logits;
}

describe('synth PairRM goldens (fp32 PyTorch logits)', () => {
  it('were made for this folder and have logits of both signs', () => {
    expect(goldens.model).toBe('public/models/synth-pairrm');
    expect(goldens.pairs.length).toBeGreaterThanOrEqual(40);
    expect(goldenLogits.some((l) => l > 0) && goldenLogits.some((l) => l < 0)).toBe(true);
  });

  it('fp32 ONNX reproduces them to 1e-5', async () => {
    const logits = await variantLogits('model.onnx');
    goldens.pairs.forEach((pair, i) => {
      expect(Math.abs((logits[i] ?? NaN) - pair.logit), pair.name).toBeLessThanOrEqual(1e-5);
    });
  });

  it.each([
    ['fp16', 'model_fp16.onnx', 0.05],
    ['q8', 'model_quantized.onnx', 0.5],
    ['q4', 'model_q4.onnx', 2],
  ])('%s (%s) stays within %f of them', async (variant, file, tolerance) => {
    const logits = await variantLogits(file);
    const worst = Math.max(...goldenLogits.map((l, i) => Math.abs(l - (logits[i] ?? NaN))));
    console.log(`synth-pairrm ${variant}: max |dlogit| ${worst.toFixed(4)} on ${goldenLogits.length} goldens`);
    expect(worst).toBeLessThanOrEqual(tolerance);
  });
});

describe('synth PairRM through the Node blender', () => {
  let blender: NodeBlender;
  beforeAll(async () => {
    blender = await createBlender({ ranker: SYNTH_PAIRRM, fuser: null, device: 'cpu', dtype: 'fp32' });
  });
  afterAll(() => blender.dispose());

  it('tokenizer + pair rule + graph give the golden logits', async () => {
    const pairs = goldens.pairs;
    const logits = await blender.compare(
      pairs.map((p) => p.input),
      pairs.map((p) => p.candidate1),
      pairs.map((p) => p.candidate2),
      { instructions: pairs.map((p) => p.instruction), mode: '[A,B]', returnLogits: true },
    );
    pairs.forEach((pair, i) => expect(Math.abs((logits[i] ?? NaN) - pair.logit), pair.name).toBeLessThanOrEqual(1e-4));
  });

  it(`prefers the better answer on held-out test rows (both orders, >= ${MIN_HELDOUT_ACCURACY * 100}%)`, async () => {
    const options = { instructions: heldout.map((r) => r.instruction), mode: '[A,B]', returnLogits: true } as const;
    const inputs = heldout.map((r) => r.input);
    const forward = await blender.compare(
      inputs,
      heldout.map((r) => r.better),
      heldout.map((r) => r.worse),
      options,
    );
    const backward = await blender.compare(
      inputs,
      heldout.map((r) => r.worse),
      heldout.map((r) => r.better),
      options,
    );
    const right = heldout.map((_, i) => Number((forward[i] ?? 0) > 0) + Number((backward[i] ?? 0) < 0));
    const accuracy = right.reduce((a, b) => a + b, 0) / (2 * heldout.length);
    const families = [...new Set(heldout.map((r) => r.family))];
    const perFamily = families.map((f) => {
      const rows = right.filter((_, i) => heldout[i]?.family === f);
      return `${f} ${((100 * rows.reduce((a, b) => a + b, 0)) / (2 * rows.length)).toFixed(1)}%`;
    });
    console.log(`synth-pairrm held-out accuracy ${(100 * accuracy).toFixed(1)}% of ${2 * heldout.length} ordered pairs: ${perFamily.join(', ')}`);
    expect(heldout.length).toBeGreaterThanOrEqual(100);
    expect(families.length).toBe(5);
    expect(accuracy).toBeGreaterThanOrEqual(MIN_HELDOUT_ACCURACY);
  });

  it('ranks the README example sensibly: the kind reply first, the hostile one last', async () => {
    const ranks = await blender.rank(
      ['hello, how are you!', 'I love you!'],
      [
        ['get out!', 'hi! I am fine, thanks!', 'bye!'],
        ['I love you too!', 'I hate you!', "Thanks! You're a good guy!"],
      ],
    );
    console.log(`synth-pairrm README rank: ${JSON.stringify(ranks)}`);
    const [greeting, love] = ranks;
    expect(greeting?.[1]).toBe(1); // 'hi! I am fine, thanks!'
    expect(greeting?.[0]).toBe(3); // 'get out!'
    expect(love?.[1]).toBe(3); // 'I hate you!' below both kind replies
  });
});

describe('synth PairRM folder', () => {
  it(`holds every variant in at most ${MAX_FOLDER_BYTES} bytes`, () => {
    expectEveryVariantWithin(SYNTH_PAIRRM, MAX_FOLDER_BYTES);
  });

  it('manifest lists every file with its size and sha256', () => {
    expectManifestMatchesFolder(SYNTH_PAIRRM);
  });

  it('config.json matches the goldens and says what the model is', () => {
    const config = readJson<Record<string, unknown>>(join(SYNTH_PAIRRM, 'config.json'));
    expect(config).toMatchObject({
      model_type: 'deberta-v2',
      cls_token_id: goldens.cls_token_id,
      sep_token_id: goldens.sep_token_id,
      source_prefix_id: goldens.marker_ids.source,
      cand1_prefix_id: goldens.marker_ids.candidate1,
      cand2_prefix_id: goldens.marker_ids.candidate2,
      source_max_length: goldens.source_max_length,
      candidate_max_length: goldens.candidate_max_length,
    });
    expect(String(config['synthetic_training'])).toContain('not PairRM');
  });
});

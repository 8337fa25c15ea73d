// The bundled tiny PairRM: every variant run on onnxruntime-node against the goldens
// (fp32 PyTorch logits), and the folder's size and manifest.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldens, readJson, TINY_PAIRRM } from './pairrm-golden';
import { expectEveryVariantWithin, expectManifestMatchesFolder } from './model-folder-checks';
import { openSession, padRows, runPairRM } from './pairrm-onnx';

const MAX_FOLDER_BYTES = 3 * 1024 * 1024;
const rows = goldens.pairs.map((p) => p.input_ids);
const golden = goldens.pairs.map((p) => p.logit);

async function logitsOf(file: string): Promise<Float32Array> {
  const session = await openSession(join(TINY_PAIRRM, 'onnx', file));
  const { ids, mask } = padRows(rows, 0); // one padded batch: padding never changes a logit
  return (await runPairRM(session, ids, mask)).logits;
}

describe('tiny PairRM goldens', () => {
  it('has at least 40 pairs with logits of both signs', () => {
    expect(goldens.pairs.length).toBeGreaterThanOrEqual(40);
    expect(golden.some((l) => l > 0) && golden.some((l) => l < 0)).toBe(true);
  });

  it('rows follow the pair rule from the content ids (truncation exercised)', () => {
    const { cls_token_id: cls, sep_token_id: sep, marker_ids: m, source_max_length: S, candidate_max_length: C } = goldens;
    let truncated = 0;
    for (const p of goldens.pairs) {
      const source = [cls, m.source, ...p.content_ids.source.slice(0, S - 3), sep];
      const budget = Math.floor((S + 2 * C - source.length) / 2);
      const cand = (marker: number, ids: number[]) => [cls, marker, ...ids.slice(0, budget - 3), sep];
      const row = [...source, ...cand(m.candidate1, p.content_ids.candidate1), ...cand(m.candidate2, p.content_ids.candidate2)];
      expect(p.input_ids, p.name).toEqual(row);
      if (row.length < 3 + p.content_ids.source.length + p.content_ids.candidate1.length + 6 + p.content_ids.candidate2.length) truncated++;
    }
    expect(truncated).toBeGreaterThanOrEqual(4);
  });

  it('fp32 ONNX reproduces the PyTorch logits to 1e-5', async () => {
    const logits = await logitsOf('model.onnx');
    goldens.pairs.forEach((pair, i) => {
      expect(Math.abs((logits[i] ?? NaN) - pair.logit), pair.name).toBeLessThanOrEqual(1e-5);
    });
  });

  it.each([
    ['q8', 'model_quantized.onnx'],
    ['q4', 'model_q4.onnx'],
    ['fp16', 'model_fp16.onnx'],
  ])('%s (%s) agrees in sign with fp32 on at least 95 percent of the goldens', async (variant, file) => {
    const logits = await logitsOf(file);
    const agree = golden.filter((l, i) => Math.sign(l) === Math.sign(logits[i] ?? NaN)).length;
    const worst = Math.max(...golden.map((l, i) => Math.abs(l - (logits[i] ?? NaN))));
    const pct = (100 * agree) / golden.length;
    console.log(`tiny-pairrm ${variant}: sign agreement ${pct.toFixed(2)}% (${agree}/${golden.length}), max |dlogit| ${worst.toFixed(4)}`);
    expect(pct).toBeGreaterThanOrEqual(95);
  });
});

describe('tiny PairRM folder', () => {
  it(`is at most ${MAX_FOLDER_BYTES} bytes with every variant`, () => {
    expectEveryVariantWithin(TINY_PAIRRM, MAX_FOLDER_BYTES);
  });

  it('manifest lists every file with its byte size and sha256', () => {
    expectManifestMatchesFolder(TINY_PAIRRM);
  });

  it('config.json carries every field the engine reads, matching the goldens', () => {
    const config = readJson<Record<string, unknown>>(join(TINY_PAIRRM, 'config.json'));
    expect(config).toMatchObject({
      model_type: 'deberta-v2',
      cls_token_id: goldens.cls_token_id,
      sep_token_id: goldens.sep_token_id,
      pad_token_id: 0,
      source_prefix_id: goldens.marker_ids.source,
      cand1_prefix_id: goldens.marker_ids.candidate1,
      cand2_prefix_id: goldens.marker_ids.candidate2,
      source_max_length: goldens.source_max_length,
      candidate_max_length: goldens.candidate_max_length,
    });
  });
});

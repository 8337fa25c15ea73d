// Every variant of the tiny fuser loads in transformers.js (Node) with its dtype and runs
// greedy and beam generation through the past path; its greedy token agreement with fp32
// on the golden prompts is the figure manifest.json states (export.py measured it with
// onnxruntime-node directly).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSeq2Seq } from '../../src/runtime/common/seq2seq-generate';
import { loadSeq2Seq } from './fuser-t5-session';

const FOLDER = resolve(__dirname, '../../public/models/tiny-fuser');
const goldens = JSON.parse(readFileSync(resolve(__dirname, '../golden/fuser.json'), 'utf8')) as {
  max_new_tokens: number;
  cases: { input_ids: number[]; greedy: { ids: number[] } }[];
};
const manifest = JSON.parse(readFileSync(resolve(FOLDER, 'manifest.json'), 'utf8')) as {
  agreement_with_fp32: Record<string, { greedy_token_agreement: number }>;
};
const prompts = goldens.cases.map((c) => c.input_ids);

/** Same definition as tools/fuser/export.py: matches over fp32's generated positions. */
function agreement(reference: number[][], other: number[][]): number {
  let same = 0;
  let total = 0;
  reference.forEach((ref, r) => {
    for (let i = 1; i < ref.length; i++) {
      total++;
      if (other[r]![i] === ref[i]) same++;
    }
  });
  return same / total;
}

describe.each([['fp16'], ['q8'], ['q4']] as const)('tiny fuser %s in transformers.js', (dtype) => {
  const model = loadSeq2Seq(FOLDER, dtype);

  it('greedy agreement with fp32 on the golden prompts is what manifest.json states', async () => {
    const m = await model;
    const out: number[][] = [];
    for (const ids of prompts) out.push((await generateSeq2Seq(m, [ids], { maxNewTokens: goldens.max_new_tokens, numBeams: 1 }))[0]!);
    const reference = goldens.cases.map((c) => c.greedy.ids);
    const stated = manifest.agreement_with_fp32[dtype]!.greedy_token_agreement;
    expect(agreement(reference, out)).toBeCloseTo(stated, 2);
  });

  it('beam search runs and returns well-formed sequences', async () => {
    const out = await generateSeq2Seq(await model, prompts.slice(0, 3), { maxNewTokens: 8, numBeams: 4 });
    for (const seq of out) {
      expect(seq[0]).toBe(0);
      expect(seq.length).toBeGreaterThan(1);
      expect(seq.length).toBeLessThanOrEqual(9);
      expect(seq.slice(1, -1)).not.toContain(1); // eos only at the end
    }
  });
});

// The bundled tiny fuser in transformers.js (Node, from disk, fp32) must reproduce the
// goldens that torch made (tools/fuser/goldens.py): the tokenizer's prompt ids, and every
// greedy and 4-beam generation token for token, through src/runtime/common/seq2seq-generate.ts
// (and, for greedy, through transformers.js's own generate()).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { generateSeq2Seq } from '../../src/runtime/common/seq2seq-generate';
import { loadSeq2Seq, loadTokenizer } from './fuser-t5-session';

const FOLDER = resolve(__dirname, '../../public/models/tiny-fuser');
const MAX_FOLDER_BYTES = 3 * 1024 * 1024;

interface Generation {
  ids: number[];
  text: string;
}
interface GoldenCase {
  name: string;
  candidates: string[];
  prompt: string;
  prompt_ids: number[];
  input_ids: number[];
  candidates_truncated: boolean[];
  over_total_limit: boolean;
  greedy: Generation;
  beam: Generation;
}
interface Goldens {
  source_max_tokens: number;
  candidate_max_tokens: number;
  max_new_tokens: number;
  num_beams: number;
  cases: GoldenCase[];
}

const goldens = JSON.parse(readFileSync(resolve(__dirname, '../golden/fuser.json'), 'utf8')) as Goldens;
const byName = goldens.cases.map((c) => [c.name, c] as const);

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? folderBytes(path) : stat.size);
  }, 0);
}

describe('tiny fuser folder', () => {
  it('holds every variant, the manifest, and stays within 3 MB', () => {
    const onnx = readdirSync(join(FOLDER, 'onnx')).sort();
    for (const graph of ['encoder_model', 'decoder_model_merged']) {
      for (const suffix of ['', '_fp16', '_quantized', '_q4']) expect(onnx).toContain(`${graph}${suffix}.onnx`);
    }
    const manifest = JSON.parse(readFileSync(join(FOLDER, 'manifest.json'), 'utf8')) as { files: { path: string; bytes: number }[] };
    for (const file of manifest.files) expect(statSync(join(FOLDER, file.path)).size, file.path).toBe(file.bytes);
    expect(folderBytes(FOLDER)).toBeLessThanOrEqual(MAX_FOLDER_BYTES);
  });

  it('config carries the tiny prompt limits the goldens were built with', () => {
    const config = JSON.parse(readFileSync(join(FOLDER, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config['source_max_tokens']).toBe(goldens.source_max_tokens);
    expect(config['candidate_max_tokens']).toBe(goldens.candidate_max_tokens);
  });

  it('goldens cover truncation of a candidate and of the whole prompt, and both stop reasons', () => {
    expect(goldens.cases.length).toBeGreaterThanOrEqual(10);
    expect(goldens.cases.some((c) => c.candidates_truncated.some(Boolean))).toBe(true);
    expect(goldens.cases.some((c) => c.over_total_limit && c.input_ids.length === goldens.source_max_tokens)).toBe(true);
    const full = 1 + goldens.max_new_tokens;
    expect(goldens.cases.some((c) => c.beam.ids.length < full)).toBe(true);
    expect(goldens.cases.some((c) => c.beam.ids.length === full)).toBe(true);
    expect(goldens.cases.some((c) => c.beam.ids.join() !== c.greedy.ids.join())).toBe(true);
  });
});

describe('tiny fuser tokenizer (transformers.js)', () => {
  const tokenizer = loadTokenizer(FOLDER);

  it.each(byName)('%s: prompt ids without special tokens equal the goldens', async (_name, c) => {
    const tok = await tokenizer;
    expect(tok.encode(c.prompt, { add_special_tokens: false })).toEqual(c.prompt_ids);
  });

  it.each(byName.filter(([, c]) => c.candidates_truncated.some(Boolean)))(
    '%s: a long candidate is cut to candidate_max_tokens ids, decoded, and "..." appended, as in the golden prompt',
    async (_name, c) => {
      const tok = await tokenizer;
      c.candidates.forEach((candidate, i) => {
        if (!c.candidates_truncated[i]) return;
        const ids = tok.encode(candidate, { add_special_tokens: false }).slice(0, goldens.candidate_max_tokens);
        expect(c.prompt).toContain(`Candidate ${i}: <extra_id_${i}>:${tok.decode(ids)}...</s>`);
      });
    },
  );

  it.each(byName)('%s: generations decode to the golden texts', async (_name, c) => {
    const tok = await tokenizer;
    expect(tok.decode(c.greedy.ids, { skip_special_tokens: true })).toBe(c.greedy.text);
    expect(tok.decode(c.beam.ids, { skip_special_tokens: true })).toBe(c.beam.text);
  });
});

describe('tiny fuser generation (transformers.js model, fp32, Node)', () => {
  const model = loadSeq2Seq(FOLDER, 'fp32');
  const options = { maxNewTokens: goldens.max_new_tokens };

  it.each(byName)('%s: 4-beam search reproduces the golden ids', async (_name, c) => {
    const [out] = await generateSeq2Seq(await model, [c.input_ids], { ...options, numBeams: goldens.num_beams });
    expect(out).toEqual(c.beam.ids);
  });

  it.each(byName)('%s: greedy reproduces the golden ids (ours and transformers.js generate)', async (_name, c) => {
    const m = await model;
    const [ours] = await generateSeq2Seq(m, [c.input_ids], { ...options, numBeams: 1 });
    expect(ours).toEqual(c.greedy.ids);
    const ids = new Tensor('int64', BigInt64Array.from(c.input_ids, BigInt), [1, c.input_ids.length]);
    const mask = new Tensor(
      'int64',
      BigInt64Array.from(c.input_ids, () => 1n),
      [1, c.input_ids.length],
    );
    const theirs = (await m.generate({ input_ids: ids, attention_mask: mask, max_new_tokens: goldens.max_new_tokens })) as Tensor;
    expect(Array.from(theirs.data as BigInt64Array, Number)).toEqual(c.greedy.ids);
  });

  it('an empty batch gives no sequences; an aborted signal stops generation with its reason', async () => {
    const m = await model;
    expect(await generateSeq2Seq(m, [], { ...options, numBeams: 4 })).toEqual([]);
    const controller = new AbortController();
    controller.abort(new Error('stopped by the caller'));
    const run = generateSeq2Seq(m, [goldens.cases[0]!.input_ids], { ...options, numBeams: 4, signal: controller.signal });
    await expect(run).rejects.toThrow('stopped by the caller');
  });

  it('batched beam search over every prompt (padded encoder batch) equals the per-prompt goldens', async () => {
    const out = await generateSeq2Seq(
      await model,
      goldens.cases.map((c) => c.input_ids),
      { ...options, numBeams: goldens.num_beams },
    );
    expect(out).toEqual(goldens.cases.map((c) => c.beam.ids));
  });
});

// The oracle Flan-T5 exported with the real-export command (tools/fuser/export.py run on
// test/fixtures/oracle-checkpoints/t5) must reproduce Hugging Face's own T5 outputs:
// encoder states and
// teacher-forced logits through onnxruntime-node, feeding the merged decoder one token at
// a time through its past inputs, and the greedy ids through transformers.js.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { generateSeq2Seq } from '../../src/runtime/common/seq2seq-generate';
import { emptyPast, int64, loadSeq2Seq, maxAbsDiff, openSession, presentsAsPast } from './fuser-t5-session';

const FIXTURE = resolve(__dirname, '../fixtures/oracle-t5');
const TOLERANCE = 1e-4;

interface OracleRow {
  encoder_length: number;
  encoder_last_hidden_state: number[][];
  decoder_input_ids: number[];
  logits?: number[][];
  logits_at_positions?: Record<string, number[]>;
  greedy_ids: number[];
}
interface OracleCase {
  name: string;
  input_ids: number[][];
  attention_mask: number[][];
  rows: OracleRow[];
}

const cases = (JSON.parse(readFileSync(join(FIXTURE, 'oracle-cases.json'), 'utf8')) as { cases: OracleCase[] }).cases;
const config = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')) as { num_heads: number; d_kv: number };
const rows = cases.flatMap((c) => c.rows.map((row, r) => [`${c.name}[${r}]`, c.input_ids[r]!.slice(0, row.encoder_length), row] as const));

function expectedLogits(row: OracleRow): Map<number, number[]> {
  if (row.logits) return new Map(row.logits.map((l, i) => [i, l]));
  return new Map(Object.entries(row.logits_at_positions ?? {}).map(([k, v]) => [Number(k), v]));
}

describe('oracle Flan-T5 exported to ONNX (onnxruntime-node)', () => {
  const encoder = openSession(join(FIXTURE, 'onnx/encoder_model.onnx'));
  const decoder = openSession(join(FIXTURE, 'onnx/decoder_model_merged.onnx'));

  it('covers encoder and decoder distances past 128 (the last relative bucket)', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['long_enc_170', 'long_dec_140', 'batch2_padded']));
  });

  it.each(rows)('%s: encoder states, and logits with the past path, within 1e-4', async (_name, ids, row) => {
    const mask = int64([ids.map(() => 1)]);
    const enc = (await (await encoder).run({ input_ids: int64([ids]), attention_mask: mask }))['last_hidden_state'] as ort.Tensor;
    expect(maxAbsDiff(enc.data as Float32Array, row.encoder_last_hidden_state.flat())).toBeLessThanOrEqual(TOLERANCE);

    const session = await decoder;
    const want = expectedLogits(row);
    let past = emptyPast(session, config.num_heads, config.d_kv);
    let checked = 0;
    for (let pos = 0; pos <= Math.max(...want.keys()); pos++) {
      const out = await session.run({ input_ids: int64([[row.decoder_input_ids[pos]!]]), encoder_attention_mask: mask, encoder_hidden_states: enc, ...past });
      const expected = want.get(pos);
      if (expected) {
        expect(maxAbsDiff((out['logits'] as ort.Tensor).data as Float32Array, expected), `position ${pos}`).toBeLessThanOrEqual(TOLERANCE);
        checked++;
      }
      past = presentsAsPast(out);
    }
    expect(checked).toBe(want.size);
  });

  it('uses its past: the same token without the past gives other logits', async () => {
    const row = cases.find((c) => c.name === 'short')!.rows[0]!;
    const ids = cases.find((c) => c.name === 'short')!.input_ids[0]!.slice(0, row.encoder_length);
    const session = await decoder;
    const mask = int64([ids.map(() => 1)]);
    const enc = (await (await encoder).run({ input_ids: int64([ids]), attention_mask: mask }))['last_hidden_state'] as ort.Tensor;
    const first = await session.run({
      input_ids: int64([[row.decoder_input_ids[0]!]]),
      encoder_attention_mask: mask,
      encoder_hidden_states: enc,
      ...emptyPast(session, config.num_heads, config.d_kv),
    });
    const token = int64([[row.decoder_input_ids[1]!]]);
    const withPast = await session.run({ input_ids: token, encoder_attention_mask: mask, encoder_hidden_states: enc, ...presentsAsPast(first) });
    const withoutPast = await session.run({
      input_ids: token,
      encoder_attention_mask: mask,
      encoder_hidden_states: enc,
      ...emptyPast(session, config.num_heads, config.d_kv),
    });
    const want = row.logits![1]!;
    expect(maxAbsDiff((withPast['logits'] as ort.Tensor).data as Float32Array, want)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDiff((withoutPast['logits'] as ort.Tensor).data as Float32Array, want)).toBeGreaterThan(0.1);
  });
});

describe('oracle Flan-T5 in transformers.js (AutoModelForSeq2SeqLM, fp32, from disk)', () => {
  const model = loadSeq2Seq(FIXTURE);

  it.each(rows)('%s: generate() reproduces the greedy ids exactly', async (_name, ids, row) => {
    const m = await model;
    const input = new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const mask = new Tensor(
      'int64',
      BigInt64Array.from(ids, () => 1n),
      [1, ids.length],
    );
    const out = (await m.generate({ input_ids: input, attention_mask: mask, max_new_tokens: 12 })) as Tensor;
    expect(Array.from(out.data as BigInt64Array, Number)).toEqual(row.greedy_ids);
  });

  it('generateSeq2Seq (greedy, one padded batch of every row) reproduces the greedy ids', async () => {
    const out = await generateSeq2Seq(
      await model,
      rows.map(([, ids]) => ids),
      { maxNewTokens: 12, numBeams: 1 },
    );
    expect(out).toEqual(rows.map(([, , row]) => row.greedy_ids));
  });
});

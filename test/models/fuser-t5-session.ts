// Test helpers for the exported T5 folders: onnxruntime-node sessions and a loader for
// transformers.js that reads only from disk.
import * as ort from 'onnxruntime-node';
import { AutoModelForSeq2SeqLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { Seq2SeqModel } from '../../src/runtime/common/seq2seq-generate';

export function openSession(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

export function int64(rows: readonly (readonly number[])[]): ort.Tensor {
  const width = rows[0]?.length ?? 0;
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(rows.flat(), (v) => BigInt(v)),
    [rows.length, width],
  );
}

/** Empty (length 0) past tensors for every past input, as transformers.js feeds at step one. */
export function emptyPast(session: ort.InferenceSession, heads: number, dKv: number): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    past[name] = new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, dKv]);
  }
  return past;
}

/** present.* outputs renamed as the next step's past inputs. */
export function presentsAsPast(out: ort.InferenceSession.OnnxValueMapType): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (const [name, value] of Object.entries(out)) {
    if (name.startsWith('present.')) past[name.replace('present.', 'past_key_values.')] = value;
  }
  return past;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function diskOnly(): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
}

/** A transformers.js T5 from an absolute folder, fp32 on onnxruntime-node. */
export async function loadSeq2Seq(
  folder: string,
  dtype: 'fp32' | 'fp16' | 'q8' | 'q4' = 'fp32',
): Promise<Seq2SeqModel & { generate(args: Record<string, unknown>): Promise<unknown> }> {
  diskOnly();
  const model = await AutoModelForSeq2SeqLM.from_pretrained(folder, { dtype, device: 'cpu' });
  return model;
}

export async function loadTokenizer(folder: string) {
  diskOnly();
  return AutoTokenizer.from_pretrained(folder);
}

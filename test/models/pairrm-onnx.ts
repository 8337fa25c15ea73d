// Runs a PairRM ONNX graph on onnxruntime-node for the model tests: rows in, logits out.
import * as ort from 'onnxruntime-node';

export interface PairRMOutputs {
  logits: Float32Array; // [batch]
  markerHidden: Float32Array; // [batch, 3, hidden]
}

export function openSession(modelPath: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** Right-pads `rows` with `padId` into one batch (attention mask 0 on padding). */
export function padRows(rows: readonly (readonly number[])[], padId: number): { ids: number[][]; mask: number[][] } {
  const width = Math.max(...rows.map((r) => r.length));
  return {
    ids: rows.map((r) => [...r, ...Array<number>(width - r.length).fill(padId)]),
    mask: rows.map((r) => [...Array<number>(r.length).fill(1), ...Array<number>(width - r.length).fill(0)]),
  };
}

export async function runPairRM(
  session: ort.InferenceSession,
  ids: readonly (readonly number[])[],
  mask: readonly (readonly number[])[],
): Promise<PairRMOutputs> {
  const batch = ids.length;
  const width = ids[0]?.length ?? 0;
  const tensor = (rows: readonly (readonly number[])[]) =>
    new ort.Tensor(
      'int64',
      BigInt64Array.from(rows.flat(), (v) => BigInt(v)),
      [batch, width],
    );
  const out = await session.run({ input_ids: tensor(ids), attention_mask: tensor(mask) });
  const logits = out['logits'];
  const hidden = out['marker_hidden_states'];
  if (!logits || !hidden) throw new Error('PairRM graph lacks logits or marker_hidden_states');
  return { logits: logits.data as Float32Array, markerHidden: hidden.data as Float32Array };
}

/** Largest |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}

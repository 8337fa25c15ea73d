/**
 * Greedy and beam-search generation for a T5 model loaded by transformers.js
 * (AutoModelForSeq2SeqLM). transformers.js 4.3 has no beam search, so this drives the
 * loaded model itself: the encoder runs once, then the merged decoder one token per
 * step through its past key/value inputs, with the decision logic in
 * src/engine/beam-search.ts (a pure port of Hugging Face 4.28's search).
 *
 * Cache handling, per step:
 * - present.{i}.decoder.* become the next past, gathered by the rows the search
 *   continues (beams are reordered every step);
 * - present.{i}.encoder.* (the cross-attention keys/values) are kept from the first
 *   step: they never change, and the rows of one input's beams share the same values,
 *   so they need no reordering.
 * On WebGPU transformers.js leaves present.* on the GPU; rows are gathered on the CPU
 * (downloaded once per step), which is correct everywhere and cheap next to the
 * decoder itself for beam counts of a few.
 */
import { Tensor } from '@huggingface/transformers';
import { createSearch, type SamplingConfig, type SearchConfig } from '../../engine/beam-search';
import { padRows } from '../../engine/pad-rows';

/** The part of a transformers.js seq2seq model this module uses. */
export interface Seq2SeqModel {
  config: unknown;
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
  _prepare_encoder_decoder_kwargs_for_generation(args: {
    inputs_tensor: Tensor;
    model_inputs: Record<string, unknown>;
    model_input_name: string;
    generation_config: { guidance_scale: null };
  }): Promise<Record<string, unknown>>;
}

export interface Seq2SeqGenerateOptions {
  maxNewTokens: number;
  /** 1 = greedy (HF greedy_search), > 1 = HF beam_search with that many beams. */
  numBeams: number;
  /** Checked between decoder steps; an aborted signal rejects with its reason. */
  signal?: AbortSignal;
  /** Called after every decoder step with the number of steps done. */
  onStep?: (step: number) => void;
  /** Sample instead of argmax (numBeams 1): one random source per input row. */
  sampling?: SamplingConfig;
}

interface T5Ids {
  decoder_start_token_id: number;
  eos_token_id: number;
  pad_token_id: number;
}

/**
 * Generates for each encoder id row (unpadded, any lengths) one decoder sequence, start
 * token first, ending with eos unless max length was reached: what HF `generate`
 * returns for that row with num_return_sequences 1.
 */
export async function generateSeq2Seq(model: Seq2SeqModel, inputIds: readonly (readonly number[])[], options: Seq2SeqGenerateOptions): Promise<number[][]> {
  const ids = readIds(model.config);
  if (inputIds.length === 0) return [];
  const search = createSearch({
    batchSize: inputIds.length,
    numBeams: options.numBeams,
    maxNewTokens: options.maxNewTokens,
    decoderStartTokenId: ids.decoder_start_token_id,
    eosTokenId: ids.eos_token_id,
    padTokenId: ids.pad_token_id,
    ...(options.sampling ? { sampling: options.sampling } : {}),
  } satisfies SearchConfig);

  const { input_ids, attention_mask } = padBatch(inputIds, ids.pad_token_id);
  const encoded = await model._prepare_encoder_decoder_kwargs_for_generation({
    inputs_tensor: input_ids,
    model_inputs: { input_ids, attention_mask },
    model_input_name: 'input_ids',
    generation_config: { guidance_scale: null },
  });
  const encoderOutputs = encoded['encoder_outputs'];
  if (!(encoderOutputs instanceof Tensor)) throw new Error('the model returned no encoder_outputs');
  const beams = options.numBeams;
  const encoderRows = await repeatRows(encoderOutputs, beams);
  const maskRows = await repeatRows(attention_mask, beams);

  let past: Record<string, Tensor> | null = null;
  let tokens = search.firstTokens();
  let step = 0;
  try {
    while (!search.done) {
      options.signal?.throwIfAborted();
      const outputs = await model.forward({
        encoder_outputs: encoderRows,
        attention_mask: maskRows,
        decoder_input_ids: new Tensor('int64', BigInt64Array.from(tokens, BigInt), [tokens.length, 1]),
        past_key_values: past,
      });
      const logits = outputs['logits'];
      if (!logits) throw new Error('the decoder returned no logits');
      const next = search.step(await lastPositionLogits(logits), logits.dims.at(-1)!);
      past = await nextPast(outputs, past, next.sourceRows);
      tokens = next.tokens;
      options.onStep?.(++step);
    }
  } finally {
    if (past) for (const t of Object.values(past)) disposeIfGpu(t);
  }
  return search.result();
}

function readIds(config: unknown): T5Ids {
  const c = config as Partial<Record<keyof T5Ids, unknown>>;
  const out = {} as T5Ids;
  for (const key of ['decoder_start_token_id', 'eos_token_id', 'pad_token_id'] as const) {
    const value = c[key];
    if (typeof value !== 'number') throw new Error(`model config lacks a numeric ${key}`);
    out[key] = value;
  }
  return out;
}

/** The prompts as one right-padded batch (pad-rows.ts): padding never changes T5's outputs at real positions. */
function padBatch(rows: readonly (readonly number[])[], pad: number): { input_ids: Tensor; attention_mask: Tensor } {
  const { ids, mask, width } = padRows(rows, pad);
  return {
    input_ids: new Tensor('int64', ids, [rows.length, width]),
    attention_mask: new Tensor('int64', mask, [rows.length, width]),
  };
}

/** Rows of a [rows, 1, vocab] (or [rows, T, vocab]) logits tensor at the last position, float32. */
async function lastPositionLogits(logits: Tensor): Promise<Float32Array> {
  const [rows, length, vocab] = logits.dims as [number, number, number];
  const data = (await cpuData(logits.type === 'float32' ? logits : logits.to('float32'))) as Float32Array;
  if (length === 1) return data;
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) out.set(data.subarray((r * length + length - 1) * vocab, (r * length + length) * vocab), r * vocab);
  return out;
}

async function nextPast(
  outputs: Record<string, Tensor>,
  previous: Record<string, Tensor> | null,
  sourceRows: readonly number[],
): Promise<Record<string, Tensor>> {
  const past: Record<string, Tensor> = {};
  const identity = sourceRows.every((row, i) => row === i);
  for (const [name, tensor] of Object.entries(outputs)) {
    if (!name.startsWith('present.')) continue;
    const pastName = name.replace('present.', 'past_key_values.');
    if (name.includes('.encoder.') && previous?.[pastName]) {
      disposeIfGpu(tensor);
      past[pastName] = previous[pastName];
    } else if (name.includes('.encoder.') || identity) {
      past[pastName] = tensor;
    } else {
      past[pastName] = await gatherRows(tensor, sourceRows);
      disposeIfGpu(tensor);
    }
  }
  if (previous) {
    for (const [name, tensor] of Object.entries(previous)) if (past[name] !== tensor) disposeIfGpu(tensor);
  }
  return past;
}

async function repeatRows(tensor: Tensor, times: number): Promise<Tensor> {
  if (times === 1) return tensor;
  const rows = tensor.dims[0]!;
  return gatherRows(
    tensor,
    Array.from({ length: rows * times }, (_, i) => Math.floor(i / times)),
  );
}

/** out[i] = tensor[rows[i]] along the first axis, on the CPU. */
async function gatherRows(tensor: Tensor, rows: readonly number[]): Promise<Tensor> {
  const data = await cpuData(tensor);
  const rowSize = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
  const Ctor = data.constructor as new (length: number) => typeof data;
  const out = new Ctor(rows.length * rowSize);
  rows.forEach((row, i) => out.set(data.subarray(row * rowSize, (row + 1) * rowSize) as never, i * rowSize));
  return new Tensor(tensor.type, out, [rows.length, ...tensor.dims.slice(1)]);
}

type TypedData = Float32Array | BigInt64Array | Uint16Array | Int32Array;

async function cpuData(tensor: Tensor): Promise<TypedData> {
  if (tensor.location === 'gpu-buffer') {
    const ort = (tensor as unknown as { ort_tensor: { getData(release?: boolean): Promise<TypedData> } }).ort_tensor;
    return ort.getData();
  }
  return tensor.data as TypedData;
}

function disposeIfGpu(tensor: Tensor): void {
  if (tensor.location === 'gpu-buffer') tensor.dispose();
}

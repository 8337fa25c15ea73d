/**
 * Runs a model's self-check probe (src/runtime/common/probe.ts) on a loaded model, in either
 * host: the ranker's rows through its session, the fuser's prompts through the same decode
 * loop generation uses. Each input runs alone, as at export, so padding plays no part.
 */
import { Tensor } from '@huggingface/transformers';
import type { PairModel } from '../../engine/pair-scorer';
import type { FuserProbe, ProbeRun, RankerProbe } from './probe';
import { generateSeq2Seq, type Seq2SeqModel } from './seq2seq-generate';

export async function runRankerProbe(model: PairModel, probe: RankerProbe): Promise<ProbeRun> {
  const logits: number[] = [];
  for (const row of probe.rows) {
    const ids = BigInt64Array.from(row, BigInt);
    const [logit] = await model.run(ids, new BigInt64Array(row.length).fill(1n), 1, row.length);
    logits.push(logit ?? NaN);
  }
  return { kind: 'ranker', logits };
}

export async function runFuserProbe(model: Seq2SeqModel, probe: FuserProbe): Promise<ProbeRun> {
  const greedy: number[][] = [];
  const firstLogits: Float32Array[] = [];
  for (const prompt of probe.prompts) {
    const [ids] = await generateSeq2Seq(model, [prompt], { maxNewTokens: probe.maxNewTokens, numBeams: 1 });
    greedy.push(ids ?? []);
    firstLogits.push(await firstStepLogits(model, prompt));
  }
  return { kind: 'fuser', greedy, firstLogits };
}

/** The decoder's logits for the start token after the encoder read `prompt`. */
async function firstStepLogits(model: Seq2SeqModel, prompt: readonly number[]): Promise<Float32Array> {
  const start = (model.config as { decoder_start_token_id?: unknown }).decoder_start_token_id;
  if (typeof start !== 'number') throw new Error('the fuser config lacks decoder_start_token_id');
  const input_ids = new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]);
  const attention_mask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
  const encoded = await model._prepare_encoder_decoder_kwargs_for_generation({
    inputs_tensor: input_ids,
    model_inputs: { input_ids, attention_mask },
    model_input_name: 'input_ids',
    generation_config: { guidance_scale: null },
  });
  const outputs = await model.forward({
    encoder_outputs: encoded['encoder_outputs'],
    attention_mask,
    decoder_input_ids: new Tensor('int64', BigInt64Array.from([BigInt(start)]), [1, 1]),
    past_key_values: null,
  });
  const logits = outputs['logits'];
  if (!logits) throw new Error('the decoder returned no logits');
  const float = logits.type === 'float32' ? logits : logits.to('float32');
  // On WebGPU the logits may stay on the GPU (seq2seq-generate.ts reads them the same way).
  const data: Float32Array =
    float.location === 'gpu-buffer'
      ? await (float as unknown as { ort_tensor: { getData(): Promise<Float32Array> } }).ort_tensor.getData()
      : (float.data as Float32Array);
  for (const [name, tensor] of Object.entries(outputs)) if (name !== 'logits' && tensor.location === 'gpu-buffer') tensor.dispose();
  return Float32Array.from(data);
}

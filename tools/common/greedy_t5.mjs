// Greedy decoding of an exported T5 folder on onnxruntime-node, feeding the merged decoder one
// token at a time through its past inputs (as transformers.js does). Used by
// tools/common/probe_fuser.mjs and tools/fuser/greedy_onnx.mjs.
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

/**
 * For each prompt (encoder ids): the decoder ids, the start token first, stopping after eos
 * (or maxNew tokens); and the first decoder step's full logits.
 */
export async function greedyT5(folder, suffix, prompts, maxNew) {
  const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  const encoder = await ort.InferenceSession.create(path.join(folder, `onnx/encoder_model${suffix}.onnx`), options);
  const decoder = await ort.InferenceSession.create(path.join(folder, `onnx/decoder_model_merged${suffix}.onnx`), options);

  const int64 = (ids) => new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const greedy = [];
  const firstLogits = [];
  for (const ids of prompts) {
    const mask = int64(ids.map(() => 1));
    const { last_hidden_state: hidden } = await encoder.run({ input_ids: int64(ids), attention_mask: mask });
    const past = {};
    for (const name of decoder.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
      past[name] = new ort.Tensor('float32', new Float32Array(0), [1, config.num_heads, 0, config.d_kv]);
    }
    const out = [config.decoder_start_token_id];
    for (let step = 0; step < maxNew; step++) {
      const result = await decoder.run({ input_ids: int64([out[out.length - 1]]), encoder_attention_mask: mask, encoder_hidden_states: hidden, ...past });
      const logits = result.logits.data;
      if (step === 0) firstLogits.push(Array.from(logits));
      let best = 0;
      for (let v = 1; v < logits.length; v++) if (logits[v] > logits[best]) best = v;
      out.push(best);
      for (const name of decoder.outputNames.filter((n) => n.startsWith('present.'))) {
        // The encoder part of the cache is computed once, at the first step.
        if (step === 0 || name.includes('.decoder.')) past[name.replace('present.', 'past_key_values.')] = result[name];
      }
      if (best === config.eos_token_id) break;
    }
    greedy.push(out);
  }
  return { greedy, firstLogits };
}

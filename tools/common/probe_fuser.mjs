// The fuser's self-check expectations from an exported T5 folder on onnxruntime-node: for each
// prompt, the greedy decoder ids (start token first, as transformers.js's loop feeds the
// merged decoder through its past inputs) and the first decoder step's full logits.
// tools/common/probe.py runs it on the fp32 graphs (the reference) and on every variant.
//
//   node tools/common/probe_fuser.mjs --folder DIR --suffix _q4 --prompts prompts.json \
//        --max-new-tokens 8 --out out.json
// prompts.json: [[id, ...], ...]. out.json: {"greedy": [[start, id, ...], ...], "firstLogits": [[...vocab], ...]}.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';

const { values: args } = parseArgs({
  options: {
    folder: { type: 'string' },
    suffix: { type: 'string', default: '' },
    prompts: { type: 'string' },
    'max-new-tokens': { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});
const config = JSON.parse(fs.readFileSync(path.join(args.folder, 'config.json'), 'utf8'));
const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const encoder = await ort.InferenceSession.create(path.join(args.folder, `onnx/encoder_model${args.suffix}.onnx`), options);
const decoder = await ort.InferenceSession.create(path.join(args.folder, `onnx/decoder_model_merged${args.suffix}.onnx`), options);
const prompts = JSON.parse(fs.readFileSync(args.prompts, 'utf8'));
const maxNew = Number(args['max-new-tokens']);

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
      if (step === 0 || name.includes('.decoder.')) past[name.replace('present.', 'past_key_values.')] = result[name];
    }
    if (best === config.eos_token_id) break;
  }
  greedy.push(out);
}
fs.writeFileSync(args.out, JSON.stringify({ greedy, firstLogits }));

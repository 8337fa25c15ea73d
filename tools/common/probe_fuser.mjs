// The fuser's self-check expectations from an exported T5 folder on onnxruntime-node: for each
// prompt, the greedy decoder ids (start token first, as transformers.js's loop feeds the
// merged decoder through its past inputs) and the first decoder step's full logits.
// tools/common/probe.py runs it on the fp32 graphs (the reference) and on every variant.
//
//   node tools/common/probe_fuser.mjs --folder DIR --suffix _q4 --prompts prompts.json \
//        --max-new-tokens 8 --out out.json
// prompts.json: [[id, ...], ...]. out.json: {"greedy": [[start, id, ...], ...], "firstLogits": [[...vocab], ...]}.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { greedyT5 } from './greedy_t5.mjs';

const { values: args } = parseArgs({
  options: {
    folder: { type: 'string' },
    suffix: { type: 'string', default: '' },
    prompts: { type: 'string' },
    'max-new-tokens': { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});
const prompts = JSON.parse(fs.readFileSync(args.prompts, 'utf8'));
const { greedy, firstLogits } = await greedyT5(args.folder, args.suffix, prompts, Number(args['max-new-tokens']));
fs.writeFileSync(args.out, JSON.stringify({ greedy, firstLogits }));

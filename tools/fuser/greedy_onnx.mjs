// Greedy generation with an exported T5 folder on onnxruntime-node, feeding the merged
// decoder one token at a time through its past inputs (as transformers.js does; the loop is
// tools/common/greedy_t5.mjs). export.py uses it to measure each variant's agreement with fp32.
//
//   node tools/fuser/greedy_onnx.mjs --folder DIR --suffix _q4 --prompts prompts.json \
//        --max-new-tokens 20 --out out.json
// prompts.json: [[id, ...], ...] (encoder ids). out.json: [[0, id, ...], ...] per prompt,
// the decoder start token first, stopping after eos (or max-new-tokens).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { greedyT5 } from '../common/greedy_t5.mjs';

const { values: args } = parseArgs({
  options: {
    folder: { type: 'string' },
    suffix: { type: 'string', default: '' },
    prompts: { type: 'string' },
    'max-new-tokens': { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const prompts = JSON.parse(fs.readFileSync(args.prompts, 'utf8'));
const { greedy } = await greedyT5(args.folder, args.suffix, prompts, Number(args['max-new-tokens']));
fs.writeFileSync(args.out, JSON.stringify(greedy));

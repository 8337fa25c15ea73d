#!/usr/bin/env node
// Content ids for plain texts with a model folder's tokenizer.json, for Python tooling that
// has the folder but not the sentencepiece model it was made from (tools/pairrm/requantize.py
// on the synth ranker, whose trained checkpoint lives outside git). Same rule as
// PlainTextEncoder: no special ids added, texts hold no added tokens.
//
//   node tools/pairrm/encode_plain.mjs --folder public/models/synth-pairrm < texts.json > ids.json
// texts.json: ["text", ...]; prints [[id, ...], ...] in the same order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PreTrainedTokenizer } from '@huggingface/transformers';

const { values } = parseArgs({ options: { folder: { type: 'string' } } });
if (!values.folder) throw new Error('usage: encode_plain.mjs --folder MODEL_DIR < texts.json');
const read = (name) => JSON.parse(readFileSync(join(values.folder, name), 'utf8'));
const tokenizer = new PreTrainedTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const texts = JSON.parse(input);
process.stdout.write(JSON.stringify(texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }))));

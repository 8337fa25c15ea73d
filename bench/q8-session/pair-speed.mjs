// Per-pair time of each ONNX variant of a PairRM folder at one pair of --tokens tokens (default
// 384, a (128, 128) pair; three [CLS] marker ... [SEP] segments; batch 1): onnxruntime-node on 1
// thread, and onnxruntime-web's WASM build on 1 thread under Node (the same .wasm file Chromium
// runs: the kernels, not the browser, set the speed here). Median of --runs after one warm-up
// run; ratios against fp32 in the same run.
//
//   node bench/q8-session/pair-speed.mjs --model .cache/models/pairrm-large-l2next \
//        [--files onnx/model.onnx,onnx/model_quantized.onnx,...] [--runs 3] [--backends node,wasm]
//        [--tokens 384[,12,...]]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    files: { type: 'string', default: 'onnx/model.onnx,onnx/model_quantized.onnx,onnx/model_q4.onnx' },
    runs: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'node,wasm' },
    tokens: { type: 'string', default: '384' },
  },
});
if (!values.model) throw new Error('usage: pair-speed.mjs --model DIR [--files a,b] [--runs 3] [--backends node,wasm]');
const config = JSON.parse(readFileSync(join(values.model, 'config.json'), 'utf8'));
const runs = Number(values.runs);
const require = createRequire(import.meta.url);
ortWeb.env.wasm.wasmPaths = pathToFileURL(dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'))).href + '/';
ortWeb.env.wasm.numThreads = 1;

/** One pair of `tokens` tokens: three [CLS] marker ... [SEP] segments of tokens / 3, ordinary ids seeded. */
function pairFeeds(ort, tokens) {
  const markers = [config.source_prefix_id, config.cand1_prefix_id, config.cand2_prefix_id];
  const ids = [];
  let seed = 7;
  for (const marker of markers) {
    ids.push(config.cls_token_id, marker);
    for (let i = 0; i < tokens / 3 - 3; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      ids.push(10 + (seed % 1990));
    }
    ids.push(config.sep_token_id);
  }
  const data = BigInt64Array.from(ids, BigInt);
  return {
    input_ids: new ort.Tensor('int64', data, [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
  };
}

async function measure(ort, options, path, tokens) {
  const session = await ort.InferenceSession.create(readFileSync(path), options);
  try {
    const feeds = pairFeeds(ort, tokens);
    const first = await session.run(feeds);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await session.run(feeds);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], logit: first.logits.data[0] };
  } finally {
    await session.release();
  }
}

const backends = {
  node: [ortNode, { intraOpNumThreads: 1 }],
  wasm: [ortWeb, { executionProviders: ['wasm'] }],
};
console.log(`${values.model}: one pair, batch 1, 1 thread, median of ${runs}`);
console.log('| file | backend | tokens | ms per pair | x fp32 speed | logit |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const backend of values.backends.split(',')) {
  const [ort, options] = backends[backend];
  for (const tokens of values.tokens.split(',').map(Number)) {
    let fp32 = null;
    for (const file of values.files.split(',')) {
      const { ms, logit } = await measure(ort, options, join(values.model, file), tokens);
      if (file.endsWith('/model.onnx')) fp32 = ms;
      console.log(`| ${file} | ${backend} | ${tokens} | ${ms.toFixed(0)} | ${fp32 ? (fp32 / ms).toFixed(2) : ''} | ${logit.toFixed(4)} |`);
    }
  }
}

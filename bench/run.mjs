// `npm run bench`: ranker throughput in Node (onnxruntime-node), per dtype and batch size,
// medians of several runs, written to bench/RESULTS.md. A first slice of the benchmark
// suite: browser runtimes, the real-size model and load times are still to come.
//
//   npm run bench [-- --ranker <model folder>] [--runs 5]
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBlender } from '../dist/node/index.js';

const { values } = parseArgs({
  options: { ranker: { type: 'string', default: 'public/models/tiny-pairrm' }, runs: { type: 'string', default: '5' } },
});
const RUNS = Number(values.runs);
const BATCH_SIZES = [1, 4, 8];
const DTYPES = ['fp32', 'fp16', 'q8', 'q4'].filter((dtype) =>
  existsSync(`${values.ranker}/onnx/model${{ fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' }[dtype]}.onnx`),
);

// One input, 8 candidates of varied length: 56 ordered pairs per rank call.
const words = 'the quick brown fox jumps over a lazy dog while seven wizards quietly judge boxing'.split(' ');
const candidates = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 6 + 5 * i }, (_, k) => words[(i * 7 + k) % words.length]).join(' '),
);
const input = 'Write one sentence about a fox and a dog.';
const PASSES = candidates.length * (candidates.length - 1);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const dtype of DTYPES) {
  const blender = await createBlender({ ranker: values.ranker, dtype });
  await blender.rank([input], [candidates]); // warm-up
  for (const batchSize of BATCH_SIZES) {
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await blender.rank([input], [candidates], { batchSize });
      times.push(performance.now() - started);
    }
    const ms = median(times);
    rows.push({ dtype, batchSize, msPerPair: ms / PASSES, pairsPerSecond: (PASSES * 1000) / ms });
    console.log(`${dtype} batch ${batchSize}: ${(ms / PASSES).toFixed(3)} ms/pair, ${((PASSES * 1000) / ms).toFixed(0)} pairs/s`);
  }
  await blender.dispose();
}

const fp32 = new Map(rows.filter((r) => r.dtype === 'fp32').map((r) => [r.batchSize, r.pairsPerSecond]));
const commit = execSync('git rev-parse --short HEAD').toString().trim();
const table = rows
  .map((r) => `| ${r.dtype} | ${r.batchSize} | ${r.msPerPair.toFixed(3)} | ${r.pairsPerSecond.toFixed(0)} | ${(r.pairsPerSecond / fp32.get(r.batchSize)).toFixed(2)} |`)
  .join('\n');
writeFileSync(
  'bench/RESULTS.md',
  `# Benchmark results

- date: ${new Date().toISOString()}
- commit: ${commit}
- machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}
- model: ${values.ranker}
- workload: one input, ${candidates.length} candidates, strategy full (${PASSES} ordered pairs per call); median of ${RUNS} calls

## Ranker in Node (onnxruntime-node, CPU)

| dtype | batch | ms per pair | pairs per second | x fp32 (same batch) |
| --- | --- | --- | --- | --- |
${table}

Not measured yet: onnxruntime-web in Chromium (WASM, WebGPU), PyTorch, the real-size model,
padding to 2048, load times and memory (see the benchmark issue).
`,
);
console.log('wrote bench/RESULTS.md');

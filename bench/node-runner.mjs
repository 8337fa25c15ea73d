// One onnxruntime-node session (one dtype) timing the cases it is given, in its own process
// so its peak memory (VmHWM) is that of this dtype alone. Spawned by bench/run.mjs:
//   node bench/node-runner.mjs JOB.json OUT.json
// JOB: { model, file, dtype, padId, cases: BenchCase[], sessionOptions? }
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { timeCases } from './lib/timed-cases.mjs';
import { peakMemoryBytes } from './lib/machine.mjs';

const [jobPath, outPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, 'utf8'));

// The same options as the Node entry (src/node/create-blender.ts).
const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...job.sessionOptions };
const started = performance.now();
const session = await ort.InferenceSession.create(`${job.model}/${job.file}`, options);
const sessionMs = performance.now() - started;

const run = async (ids, mask, batch, length) => {
  const dims = [batch, length];
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, dims), attention_mask: new ort.Tensor('int64', mask, dims) });
  return out.logits.data;
};
const results = await timeCases(job.cases, job.padId, run, (line) => console.log(`  node ${job.dtype} ${line}`));
await session.release();
writeFileSync(outPath, JSON.stringify({ dtype: job.dtype, sessionMs, peakBytes: peakMemoryBytes(), results }));

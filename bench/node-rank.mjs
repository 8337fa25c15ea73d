// Full `rank` calls through the library's Node entry (dist/node), one process per dtype:
//   node bench/node-rank.mjs JOB.json OUT.json
// JOB: { model, dtype, cases: [{ key, n, strategy, input, candidates, runs }] }
import { readFileSync, writeFileSync } from 'node:fs';
import { createBlender } from '../dist/node/index.js';
import { peakMemoryBytes } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';

const [jobPath, outPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, 'utf8'));
const blender = await createBlender({ ranker: job.model, dtype: job.dtype });
const loadMs = (await blender.info()).ranker.loadMs;
const passesSoFar = async () => (await blender.info()).ranker.passes;

const results = [];
for (const item of job.cases) {
  const times = [];
  let passes = 0;
  for (let run = 0; run < item.runs; run++) {
    const before = await passesSoFar();
    const started = performance.now();
    await blender.rank([item.input], [item.candidates], { strategy: item.strategy });
    times.push(performance.now() - started);
    passes = (await passesSoFar()) - before;
  }
  results.push({ key: item.key, n: item.n, strategy: item.strategy, passes, times, medianMs: median(times) });
  console.log(`  node rank ${job.dtype} ${item.key} N=${item.n}: ${passes} passes, ${median(times).toFixed(0)} ms`);
}
await blender.dispose();
writeFileSync(outPath, JSON.stringify({ dtype: job.dtype, loadMs, peakBytes: peakMemoryBytes(), results }));

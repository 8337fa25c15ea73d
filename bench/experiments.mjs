// Optimisation experiments in Chromium WASM (bench/NOTES.md records what they showed):
// session-option sets on one model, interleaved round by round so machine load hits each
// alike; or the same options on several model files (q8 forms).
//
//   node bench/experiments.mjs options [--model DIR] [--dtype q8] [--threads 2] [--rounds 4] [--shape 128x128]
//   node bench/experiments.mjs files --files a.onnx,b.onnx [--threads 2] [--rounds 3] [--shape 128x128]
//   node bench/experiments.mjs builds [--model DIR] [--dtype q8]   page runtime's ORT build vs the plain WASM build
//   node bench/experiments.mjs warm [--model DIR] [--dtype q8] [--rounds 4] [--warm serial,overlap,extended]
//       a warm load's phases (IndexedDB read, join, sha256, session, first run), a fresh worker
//       per round, the variants rotated round by round
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openBenchPage, startBenchServer } from './lib/chromium.mjs';
import { DTYPE_FILES } from './lib/model.mjs';
import { pairRows } from './lib/rows.mjs';
import { median } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: '.cache/models/pairrm-large-l2' },
    dtype: { type: 'string', default: 'q8' },
    files: { type: 'string' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '4' },
    shape: { type: 'string', default: '128x128' },
    sets: { type: 'string' },
    warm: { type: 'string', default: 'serial,overlap' },
    build: { type: 'string', default: 'plain' },
  },
});
const [source, candidate] = values.shape.split('x').map(Number);
const config = JSON.parse(readFileSync(`${values.model}/config.json`, 'utf8'));
const rows = pairRows(config, source, candidate, 1);

const OPTION_SETS = [
  { name: 'baseline (graphOptimizationLevel all)', options: {} },
  { name: 'enableCpuMemArena false', options: { enableCpuMemArena: false } },
  { name: 'enableMemPattern false', options: { enableMemPattern: false } },
  { name: 'executionMode parallel', options: { executionMode: 'parallel' } },
  { name: 'graphOptimizationLevel extended', options: { graphOptimizationLevel: 'extended' } },
  { name: 'graphOptimizationLevel basic', options: { graphOptimizationLevel: 'basic' } },
];
// --sets 0,1,2: a subset of OPTION_SETS (by index), for more rounds in the same time.
const chosenSets = values.sets ? values.sets.split(',').map((k) => OPTION_SETS[Number(k)]) : OPTION_SETS;

// Warm-load variants: how the hash is scheduled, and session options.
const WARM_VARIANTS = {
  serial: { overlapHash: false, startOrt: 'lazy', sessionOptions: {} },
  overlap: { overlapHash: true, startOrt: 'lazy', sessionOptions: {} },
  ortFirst: { overlapHash: false, startOrt: 'first', sessionOptions: {} },
  ortParallel: { overlapHash: false, startOrt: 'parallel', sessionOptions: {} },
  both: { overlapHash: true, startOrt: 'parallel', sessionOptions: {} },
  extended: { overlapHash: false, startOrt: 'lazy', sessionOptions: { graphOptimizationLevel: 'extended' } },
  basic: { overlapHash: false, startOrt: 'lazy', sessionOptions: { graphOptimizationLevel: 'basic' } },
  noArena: { overlapHash: false, startOrt: 'lazy', sessionOptions: { enableCpuMemArena: false } },
};

const server = await startBenchServer(Number(process.env.BENCH_PORT ?? 4444));
if (positionals[0] === 'warm') {
  try {
    await warmExperiment();
  } finally {
    server.stop();
  }
  process.exit(0);
}

async function warmExperiment() {
  const path = DTYPE_FILES[values.dtype];
  const model = `${server.url}/${values.model}`;
  const names = values.warm.split(',');
  const builds = values.build.split(',');
  const browser = await openBenchPage(server.url);
  const measured = new Map();
  try {
    const dbName = 'bench-warm-phases';
    const bytes = await browser.page.evaluate(([d, m, p]) => window.bench.fillStore(d, m, p), [dbName, model, path]);
    console.log(`stored ${path}: ${bytes} bytes`);
    for (let round = 0; round < Number(values.rounds); round++) {
      const variants = names.flatMap((name) => builds.map((build) => ({ name, build })));
      const order = variants.map((_, k) => variants[(k + round) % variants.length]);
      for (const { name, build } of order) {
        const reply = await browser.page.evaluate((request) => window.bench.warmPhases(request), {
          dbName,
          model,
          path,
          threads: Number(values.threads),
          padId: config.pad_token_id,
          rows,
          build,
          ...WARM_VARIANTS[name],
        });
        if (reply.error) throw new Error(`${name}: ${reply.error}`);
        const key = `${name} (${build})`;
        console.log(
          `  round ${round} ${key}: ${Object.entries(reply.times)
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ')}; logit ${reply.logit.toFixed(4)}`,
        );
        if (!measured.has(key)) measured.set(key, []);
        measured.get(key).push(reply.times);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`medians over ${values.rounds} rounds (ms):`);
  for (const [key, rounds] of measured) {
    const phases = Object.keys(rounds[0]);
    console.log(`  ${key.padEnd(22)} ${phases.map((p) => `${p} ${median(rounds.map((r) => r[p] ?? 0)).toFixed(0)}`).join(', ')}`);
  }
}

try {
  const compare = async (url, variants, plain = false) => {
    const browser = await openBenchPage(server.url);
    try {
      const reply = await browser.page.evaluate(
        ([request, p]) => window.bench.compareOptions(request, p),
        [
          {
            threads: Number(values.threads),
            url,
            padId: config.pad_token_id,
            rows,
            rounds: Number(values.rounds),
            variants,
          },
          plain,
        ],
      );
      if (reply.error) throw new Error(reply.error);
      return reply.variants;
    } finally {
      await browser.close();
    }
  };
  let measured = [];
  if (positionals[0] === 'files') {
    for (const file of values.files.split(',')) {
      const [variant] = await compare(`${server.url}/${file}`, [{ name: file, options: {} }], values.build === 'plain');
      measured.push(variant);
    }
  } else if (positionals[0] === 'builds') {
    // Alternating fresh browsers: page build, plain build, twice; times pooled per build.
    const url = `${server.url}/${values.model}/${DTYPE_FILES[values.dtype]}`;
    const pooled = [
      { name: 'page runtime build (asyncify)', times: [], sessionMs: 0, logits: [] },
      { name: 'plain WASM build', times: [], sessionMs: 0, logits: [] },
    ];
    for (let repeat = 0; repeat < 2; repeat++) {
      for (const [k, plain] of [false, true].entries()) {
        const [variant] = await compare(url, [{ name: pooled[k].name, options: {} }], plain);
        pooled[k].times.push(...variant.times);
        pooled[k].sessionMs = variant.sessionMs;
        pooled[k].logits = variant.logits;
      }
    }
    measured = pooled;
  } else {
    measured = await compare(`${server.url}/${values.model}/${DTYPE_FILES[values.dtype]}`, chosenSets);
  }
  const base = median(measured[0].times);
  console.log(`${values.shape} batch 1, ${values.threads} thread(s), ${values.rounds} interleaved rounds:`);
  for (const v of measured) {
    const ms = median(v.times);
    const best = Math.min(...v.times);
    console.log(
      `  ${v.name.padEnd(40)} median ${ms.toFixed(0).padStart(6)} ms, best ${best.toFixed(0).padStart(6)} ms (${(base / ms).toFixed(2)}x / ${(Math.min(...measured[0].times) / best).toFixed(2)}x baseline; session ${v.sessionMs.toFixed(0)} ms; logit ${v.logits[0]?.toFixed(4)}) [${v.times.map((t) => t.toFixed(0)).join(', ')}]`,
    );
  }
} finally {
  server.stop();
}

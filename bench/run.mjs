// `npm run bench`: the benchmark suite at real PairRM size (random weights, built by
// tools/pairrm/make_large.sh). Writes RESULTS.md, results.svg and results.json to bench/.
//
//   npm run bench                         full run, fitted to --budget-min (default 44)
//   npm run bench -- --quick              short run (a --layers 2 model is enough)
//   npm run bench -- --model DIR --only node,torch,wasm,loads,rank,webgpu,torchInstalled,strategies --out DIR
// `strategies` ("Ranking on a budget", bench/strategies.mjs) runs last, in its own process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startChromiumBench } from './chromium-runner.mjs';
import { Budget } from './lib/budget.mjs';
import { runJob } from './lib/child.mjs';
import { describeMachine } from './lib/machine.mjs';
import { DTYPE_FILES, openModel } from './lib/model.mjs';
import { makePlan } from './lib/plan.mjs';
import { rankTexts, tokenCounter } from './lib/texts.mjs';
import { writeReport } from './report.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    model: { type: 'string' },
    // Same widths, fewer layers: 2048-token rows run here and are scaled by the layer ratio.
    'small-model': { type: 'string', default: '.cache/models/pairrm-large-l2' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench' },
    'budget-min': { type: 'string' },
    // Set by bench/gpu.sh, so RESULTS.md can say the GPU script ran.
    'gpu-script': { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const model = openModel(values.model ?? (quick ? '.cache/models/pairrm-large-l2' : '.cache/models/pairrm-large'));
const plan = makePlan(model.config, { quick });
const small = (() => {
  try {
    const found = openModel(values['small-model']);
    return found.hidden === model.hidden && found.vocab === model.vocab && found.layers < model.layers ? found : null;
  } catch {
    return null;
  }
})();
const only = values.only ? new Set(values.only.split(',')) : null;
const jobs = plan.jobs.filter(
  (job) => (!only || only.has(job.kind)) && (job.dtype === undefined || model.available.includes(job.dtype)) && (!job.small || small),
);
for (const job of jobs) if (job.small) job.layerShare = small.layers / model.layers;
const budgetSeconds = values['budget-min'] ? Number(values['budget-min']) * 60 : quick ? Infinity : 44 * 60;
const budget = new Budget(budgetSeconds, model.bytes);
const startedAt = Date.now();
const log = (line) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s] ${line}`);
log(
  `model ${model.relative}: ${model.layers} layers x ${model.hidden}, vocab ${model.vocab}; ${quick ? 'quick' : 'full'} run, budget ${budgetSeconds === Infinity ? 'none' : `${budgetSeconds / 60} min`}`,
);

const count = tokenCounter(model.dir);
const typical = rankTexts(count, plan.rankTypical.n, plan.rankTypical.sourceTokens, plan.rankTypical.candidateTokens);
const padId = model.config.pad_token_id;
// The model's folder relative to the repository root (openModel requires it inside): results.json
// is committed, and an absolute path would name the machine that ran it.
const results = {
  model: { ...model, dir: model.relative, config: undefined },
  small: small && { relative: small.relative, layers: small.layers },
  node: [],
  chromium: { wasm: [], webgpu: { status: 'not run', runs: [] }, loads: [], rankTypical: null },
  ran: [],
};
let chromium = null;
const browser = async (forModel) => {
  chromium ??= await startChromiumBench(log);
  return chromium.forModel(forModel);
};
/** Time one case took in all (its runs and the warm-up). */
const spentMs = (cases, measured) => measured.reduce((sum, r) => sum + r.medianMs * (r.times.length + (cases.find((c) => c.key === r.key)?.warmup ? 1 : 0)), 0);

const rankCases = (sizes) => [
  // Typical candidates, for comparison with Chromium's rank, then the sweep. (passes and
  // estimateLength only size the job for the time budget.)
  ...['full', 'bubble'].map((strategy) => ({
    key: `typical-${strategy}`,
    level: strategy === 'full' ? 1 : 2,
    n: plan.rankTypical.n,
    strategy,
    ...typical,
    passes: strategy === 'full' ? 12 : 6,
    estimateLength: 280,
    runs: 1,
  })),
  ...sizes.flatMap((n) =>
    ['bubble', 'full'].map((strategy) => ({
      key: `${strategy}${n}`,
      level: strategy === 'full' && n === 16 ? 3 : 2,
      n,
      strategy,
      ...rankTexts(count, n, plan.rankNode.sourceTokens, plan.rankNode.candidateTokens),
      passes: strategy === 'full' ? n * (n - 1) : 2 * (n - 1),
      estimateLength: 70,
      runs: 1,
    })),
  ),
];

for (const job of jobs) if (job.kind === 'rank') job.cases = rankCases(job.sizes);

/** Runs one job's cases; returns the time its cases took (for the budget), or null. */
async function runJobCases(job, cases) {
  let measured = null;
  const jobModel = job.small ? small : model;
  const scale = job.small ? { scaledFromLayers: small.layers, scale: model.layers / small.layers } : {};
  if (job.kind === 'node') {
    const out = await runJob('node', ['bench/node-runner.mjs'], { model: jobModel.dir, file: DTYPE_FILES[job.dtype], dtype: job.dtype, padId, cases });
    results.node.push({ ...out, ...scale });
    measured = spentMs(cases, out.results);
  } else if (job.kind === 'torch' || job.kind === 'torchInstalled') {
    // Tuned: OpenBLAS and OMP_WAIT_POLICY=PASSIVE (torch's OpenMP threads otherwise busy-wait
    // against OpenBLAS's, 1.6-4x slower on 2 cores). As installed: Debian's reference BLAS
    // (libblas3, ~40x slower GEMMs) and OpenMP's default busy-waiting.
    const env =
      job.kind === 'torch'
        ? { OMP_WAIT_POLICY: 'PASSIVE', LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread' }
        : { OMP_WAIT_POLICY: null, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/blas' };
    const out = await runJob('/usr/bin/python3', ['bench/pytorch_runner.py'], { model: jobModel.dir, padId, threads: 2, cases }, env).catch((error) => ({
      error: String(error),
      results: [],
    }));
    results[job.kind === 'torch' && job.small ? 'torchSmall' : job.kind] = { ...out, ...scale };
    measured = spentMs(cases, out.results);
  } else if (job.kind === 'wasm') {
    const out = await (await browser(jobModel)).throughput('wasm', job.dtype, job.threads, cases);
    results.chromium.wasm.push({ dtype: job.dtype, threads: job.threads, ...out, ...scale });
    measured = spentMs(cases, out.results);
  } else if (job.kind === 'loads') {
    const out = await (await browser(model)).loads(job.dtype, job.rank.length ? { ...typical, strategies: job.rank } : null);
    if (job.rank.length) results.chromium.rankTypical = out.rank;
    results.chromium.loads.push(out);
  } else if (job.kind === 'rank') {
    const out = await runJob('node', ['bench/node-rank.mjs'], { model: model.dir, dtype: job.dtype, cases });
    results.rankNode = out;
    measured = out.results.reduce((sum, r) => sum + r.medianMs, 0);
  } else if (job.kind === 'webgpu') {
    const webgpu = results.chromium.webgpu;
    webgpu.probe = await (await browser(model)).probeWebGpu();
    if (!webgpu.probe.available) webgpu.status = `skipped: no adapter (${webgpu.probe.reason})`;
    else if (webgpu.probe.adapter.isFallbackAdapter) webgpu.status = 'skipped: SwiftShader (requestAdapter() gave the fallback adapter)';
    else {
      webgpu.status = 'ran';
      for (const dtype of job.dtypes.filter((d) => model.available.includes(d) && (d !== 'fp16' || webgpu.probe.adapter.shaderF16))) {
        const out = await (await browser(model)).throughput('webgpu', dtype, 0, cases).catch((error) => ({ error: String(error), results: [] }));
        webgpu.runs.push({ dtype, ...out });
      }
    }
    log(`webgpu: ${webgpu.status}`);
  }
  return measured;
}

/** Writes results.json and the report so far: a run cut short still leaves its figures. */
function save() {
  results.gpuScriptRan = values['gpu-script'];
  results.plan = { quick, budgetMinutes: budgetSeconds / 60, rankNode: plan.rankNode, rankTypical: plan.rankTypical };
  results.texts = { typical };
  results.machine = describeMachine({
    chromium: chromium?.version ?? null,
    torch: (results.torch ?? results.torchSmall ?? results.torchInstalled)?.torch ?? null,
  });
  results.totalSeconds = (Date.now() - startedAt) / 1000;
  mkdirSync(values.out, { recursive: true });
  writeFileSync(`${values.out}/results.json`, `${JSON.stringify(results, null, 1)}\n`);
  try {
    writeReport(results, values.out);
  } catch (error) {
    log(`report failed: ${error.stack ?? error}`);
  }
}

try {
  for (const [index, job] of jobs.entries()) {
    const level = budget.levelFor(jobs, index);
    const started = Date.now();
    const name = `${job.kind}${job.dtype ? ` ${job.dtype}` : ''}${job.threads ? ` ${job.threads}t` : ''}${job.small ? ` (${small.layers}-layer model)` : ''}`;
    const cases = (job.cases ?? []).filter((c) => c.level <= level);
    if ((job.level ?? 1) > level || (job.cases?.length && cases.length === 0)) {
      log(`${name}: skipped (time budget)`);
      results.ran.push({ job: name, level, cases: [], seconds: 0, skipped: 'time budget' });
      continue;
    }
    log(`${name}: level ${level}, ${cases.length} case(s)${cases.length ? `: ${cases.map((c) => c.key).join(', ')}` : ''}`);
    const entry = { job: name, level, cases: cases.map((c) => `${c.key}${c.runs > 1 ? ` x${c.runs}` : ''}`), seconds: 0 };
    try {
      const measured = await runJobCases(job, cases);
      if (measured !== null && cases.length > 0) budget.observe(job, cases, measured);
    } catch (error) {
      // One failed job (a browser crash, an out-of-memory session) must not lose the others.
      log(`${name} failed: ${error.stack ?? error}`);
      entry.error = String(error.message ?? error).slice(0, 300);
    }
    entry.seconds = (Date.now() - started) / 1000;
    results.ran.push(entry);
    save();
  }
  if (!only || only.has('strategies')) {
    // Writes OUT/strategies.json, which the report reads from beside results.json.
    const started = Date.now();
    log('strategies: Ranking on a budget (bench/strategies.mjs)');
    const child = spawnSync('node', ['bench/strategies.mjs', '--out', values.out, '--no-report', ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
    const failed = child.status === 0 ? null : `bench/strategies.mjs exited with ${child.status ?? child.signal}`;
    if (failed) log(failed);
    results.ran.push({
      job: 'strategies',
      level: 1,
      cases: ['simulated and synth-pairrm sets'],
      seconds: (Date.now() - started) / 1000,
      ...(failed ? { error: failed } : {}),
    });
  }
} finally {
  chromium?.stop();
}

save();
log(`wrote ${values.out}/RESULTS.md, results.svg, results.json in ${(results.totalSeconds / 60).toFixed(1)} min`);

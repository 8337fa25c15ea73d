// "Ranking on a budget": how close the cheaper rank strategies (bubble, tournament, sort,
// adaptive, and their orders 'one' variants) come to `full`, in passes, rounds, top-1
// agreement and Kendall τ, and their wall time as a ratio to full's. Writes OUT/strategies.json
// and, when OUT/results.json exists, re-renders OUT/RESULTS.md with bench/report.mjs.
//
//   node bench/strategies.mjs --quick       a few minutes: 50 simulated sets per N, 8 synthetic sets
//   node bench/strategies.mjs               200 simulated sets per N under 5 profiles, 30 synthetic
//                                           sets per N, 10 per N in Chromium, 3 per N on the 24-layer
//                                           model (measured on 2 busy cores: 14 min + about 50 min)
//   options: --out DIR, --model DIR (default public/models/synth-pairrm, fp32),
//            --large-model DIR (default .cache/models/pairrm-large: timed at N = 8, 16 when present),
//            --parts synth,simulated,large,chromium (default all; a part not run keeps its figures
//            from the existing OUT/strategies.json, so the slow large part can be timed on its own;
//            chromium: synth-pairrm in Chromium on WASM at N = 8, 16, port BENCH_PORT or 4445)
//
// The measurement itself is TypeScript (bench/strategies/*.ts, loaded through Vite's module
// runner), so it runs the engine and the Node entry from src/ as they are now: no build needed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runnerImport } from 'vite';
import { describeMachine } from './lib/machine.mjs';
import { runChromium } from './strategies/chromium-run.mjs';
import { writeReport } from './report.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench' },
    model: { type: 'string', default: 'public/models/synth-pairrm' },
    'large-model': { type: 'string', default: '.cache/models/pairrm-large' },
    'no-report': { type: 'boolean', default: false },
    parts: { type: 'string', default: 'synth,simulated,large,chromium' },
  },
});
const PARTS = ['synth', 'simulated', 'large', 'chromium'];
const parts = values.parts.split(',').map((p) => p.trim());
const unknown = parts.filter((p) => !PARTS.includes(p));
if (unknown.length > 0) {
  console.error(`--parts: unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  process.exit(2);
}
const quick = values.quick;
const startedAt = Date.now();
// The code measured is the tree at the start (a long run may outlive a commit).
const { commit: startCommit, dirty: startDirty } = describeMachine();
const log = (line) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s] strategies: ${line}`);

const previousPath = `${values.out}/strategies.json`;
const previous = existsSync(previousPath) ? JSON.parse(readFileSync(previousPath, 'utf8')) : null;
const { module } = await runnerImport('/bench/strategies/run.ts', { configFile: false, logLevel: 'warn' });
const results = await module.runStrategies(
  {
    quick,
    parts,
    sizes: [4, 8, 16, 32],
    simulatedSetsPerN: quick ? 50 : 200,
    synth: { model: values.model, dtype: 'fp32', setsPerN: quick ? 8 : 30 },
    // The 24-layer model: seconds per pass on 2 cores, so only wall time at N = 8 and 16, few sets.
    large: existsSync(`${values['large-model']}/manifest.json`) ? { model: values['large-model'], dtype: 'q8', sizes: [8, 16], setsPerN: quick ? 1 : 3 } : null,
    largeWanted: values['large-model'],
    setsFile: 'bench/strategies/synth-sets.json',
    previousSynth: previous?.synth ?? null,
  },
  log,
);
if (parts.includes('chromium')) {
  const { module: variants } = await runnerImport('/bench/strategies/variants.ts', { configFile: false, logLevel: 'warn' });
  results.chromium = await runChromium(
    {
      model: values.model,
      dtype: 'fp32',
      sizes: [8, 16],
      setsPerN: quick ? 3 : 10,
      sets: JSON.parse(readFileSync('bench/strategies/synth-sets.json', 'utf8')).sets,
      variantsFor: variants.variantsFor,
      optionsFor: variants.optionsFor,
      port: Number(process.env.BENCH_PORT ?? 4445),
    },
    log,
  );
}
results.machine = describeMachine();
results.seconds = (Date.now() - startedAt) / 1000;
// Parts not run this time keep their figures (and the run that made them) from the last file.
for (const part of PARTS.filter((p) => !parts.includes(p))) {
  const keys = part === 'simulated' ? ['simulated', 'simulatedSensitivity'] : [part];
  for (const key of keys) if (previous?.[key] !== undefined) results[key] = previous[key];
}
results.partRuns = { ...(previous?.partRuns ?? {}) };
for (const part of parts)
  results.partRuns[part] = {
    at: new Date(startedAt).toISOString(),
    machine: { ...results.machine, commit: startCommit, dirty: startDirty },
    seconds: results.seconds,
  };
writeFileSync(`${values.out}/strategies.json`, `${JSON.stringify(results, null, 1)}\n`);
log(`wrote ${values.out}/strategies.json in ${(results.seconds / 60).toFixed(1)} min`);
if (!values['no-report'] && existsSync(`${values.out}/results.json`)) {
  writeReport(JSON.parse(readFileSync(`${values.out}/results.json`, 'utf8')), values.out);
  log(`re-rendered ${values.out}/RESULTS.md`);
}

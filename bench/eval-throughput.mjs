// Throughput of `llm-blender-web eval` (rows/s and pairs/s, from its --summary JSON) on the
// committed MixInstruct-format sample, repeated to --rows rows, with the synth ranker and, when
// it exists, the 24-layer benchmark model (.cache/models/pairrm-large, q8; tools/pairrm/make_large.sh).
// Each configuration runs --repeats times; medians are reported, and ratios within this run.
//
//   vite build --mode node --logLevel warn && node bench/eval-throughput.mjs [--rows 200] [--repeats 3] [--large-rows 8]
// Needs dist/node/bin.js (the command above builds it). Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200' },
    repeats: { type: 'string', default: '3' },
    'large-rows': { type: 'string', default: '8' },
    large: { type: 'string', default: '.cache/models/pairrm-large' },
  },
});
const BIN = 'dist/node/bin.js';
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run vite build --mode node first`);
const work = mkdtempSync(join(tmpdir(), 'eval-bench-'));
const sample = readFileSync('test/fixtures/datasets/mixinstruct-sample.jsonl', 'utf8').trim().split('\n');

/** The sample repeated to `count` rows, ids made unique (the pair cache is per process, so repeats within a run would hit it: each copy gets a distinct input). */
function dataset(count) {
  const path = join(work, `data-${count}.jsonl`);
  const lines = [];
  for (let i = 0; i < count; i++) {
    const row = JSON.parse(sample[i % sample.length]);
    row.id = `${row.id}-${Math.floor(i / sample.length)}`;
    row.input = `${row.input}${i >= sample.length ? ` (${Math.floor(i / sample.length)})` : ''}`;
    lines.push(JSON.stringify(row));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function run(file, ranker, extra) {
  const summary = join(work, 'summary.json');
  const result = spawnSync('node', [BIN, 'eval', file, '--ranker', ranker, '--out', join(work, 'out.jsonl'), '--summary', summary, ...extra], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`eval failed (${result.status}): ${result.stderr}`);
  return JSON.parse(readFileSync(summary, 'utf8'));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const repeats = Number(values.repeats);
const configs = [
  {
    model: 'synth-pairrm',
    ranker: 'public/models/synth-pairrm',
    rows: Number(values.rows),
    args: ['--strategy', 'full', '--threads', '1'],
    label: 'full, 1 thread',
  },
  {
    model: 'synth-pairrm',
    ranker: 'public/models/synth-pairrm',
    rows: Number(values.rows),
    args: ['--strategy', 'full', '--threads', '2'],
    label: 'full, 2 threads',
  },
  {
    model: 'synth-pairrm',
    ranker: 'public/models/synth-pairrm',
    rows: Number(values.rows),
    args: ['--strategy', 'full', '--threads', '2', '--dtype', 'q8'],
    label: 'full, q8, 2 threads',
  },
  {
    model: 'synth-pairrm',
    ranker: 'public/models/synth-pairrm',
    rows: Number(values.rows),
    args: ['--strategy', 'tournament', '--threads', '2'],
    label: 'tournament, 2 threads',
  },
  {
    model: 'synth-pairrm',
    ranker: 'public/models/synth-pairrm',
    rows: Number(values.rows),
    args: ['--strategy', 'adaptive', '--threads', '2'],
    label: 'adaptive (4N), 2 threads',
  },
];
if (existsSync(join(values.large, 'onnx/model_quantized.onnx'))) {
  configs.push({
    model: '24-layer (q8)',
    ranker: values.large,
    rows: Number(values['large-rows']),
    args: ['--strategy', 'full', '--dtype', 'q8'],
    label: 'full, q8',
  });
} else {
  console.log(`(${values.large} is absent: the 24-layer benchmark model is not timed; build it with tools/pairrm/make_large.sh)`);
}

console.log('| model | configuration | rows | pairs run per row | rows/s (median) | pairs/s (median) | rows/s vs first row |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let first = null;
for (const config of configs) {
  const file = dataset(config.rows);
  const runs = Array.from({ length: repeats }, () => run(file, config.ranker, config.args));
  const rowsPerSecond = median(runs.map((s) => s.rowsPerSecond));
  const pairsPerSecond = median(runs.map((s) => s.pairsPerSecond));
  first ??= rowsPerSecond;
  console.log(
    `| ${config.model} | ${config.label} | ${config.rows} | ${(runs[0].pairsRun / config.rows).toFixed(1)} | ${rowsPerSecond.toFixed(1)} | ${pairsPerSecond.toFixed(1)} | ${(rowsPerSecond / first).toFixed(2)} |`,
  );
}
rmSync(work, { recursive: true, force: true });

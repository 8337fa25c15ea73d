// results.json -> RESULTS.md + results.svg. Run alone to re-render from a saved run:
//   node bench/report.mjs [bench/results.json] [OUT_DIR]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agreementWithFp32, collectMeasurements, RUNTIMES } from './lib/measurements.mjs';
import { REFERENCE_PAD } from './lib/plan.mjs';
import { barChart } from './lib/svg.mjs';
import { LIMITS } from './lib/limits.mjs';
import { targetRows } from './lib/targets.mjs';
import { strategiesSection } from './lib/strategies-report.mjs';
import { fleetSection } from './lib/fleet-report.mjs';

const MiB = 2 ** 20;
const fmt = (value, digits = 0) => (value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const ms = (value) => (value === null || value === undefined ? 'n/a' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mib = (bytes) => (bytes ? `${(bytes / MiB).toFixed(0)} MiB` : 'n/a');
const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const SHAPE_ORDER = ['32x64', '128x128', '256x412', '1224x412'];
const RUNTIME_ORDER = Object.keys(RUNTIMES);

function throughputTable(measurements, results) {
  const rows = measurements.rows
    .filter((r) => !r.padTo)
    .sort(
      (a, b) =>
        SHAPE_ORDER.indexOf(`${a.source}x${a.candidate}`) - SHAPE_ORDER.indexOf(`${b.source}x${b.candidate}`) ||
        a.batch - b.batch ||
        Number(a.small) - Number(b.small) ||
        ['fp32', 'q8', 'q4', 'fp16'].indexOf(a.dtype) - ['fp32', 'q8', 'q4', 'fp16'].indexOf(b.dtype) ||
        RUNTIME_ORDER.indexOf(a.runtime) - RUNTIME_ORDER.indexOf(b.runtime),
    )
    .map((r) => [
      `(${r.source}, ${r.candidate})`,
      r.small ? `${r.scaledFromLayers} layers, x${r.scale}` : `${results.model.layers} layers`,
      r.length,
      r.batch,
      r.dtype,
      RUNTIMES[r.runtime],
      ms(r.msPerPair),
      fmt(r.pairsPerSecond, 3),
      r.xNode === null ? 'n/a' : `${r.xNode.toFixed(2)}x`,
      r.times.length,
    ]);
  return table(['(source, candidate)', 'model', 'tokens per row', 'batch', 'dtype', 'runtime', 'ms per pair', 'pairs/s', 'x node (same dtype)', 'runs'], rows);
}

function chart(measurements, meta) {
  const order = [
    ['node', 'fp32'],
    ['node', 'q8'],
    ['node', 'q4'],
    ['wasm2', 'fp32'],
    ['wasm2', 'q8'],
    ['wasm2', 'q4'],
    ['wasm1', 'fp32'],
    ['wasm1', 'q8'],
    ['wasm1', 'q4'],
    ['webgpu', 'fp32'],
    ['webgpu', 'q4'],
    ['webgpu', 'fp16'],
    ['torch', 'fp32'],
  ];
  const groups = { node: 0, wasm2: 1, wasm1: 2, webgpu: 3, torch: 4 };
  const bars = order
    .map(([runtime, dtype]) => ({ row: measurements.findAny(runtime, dtype, '128x128b1'), runtime, dtype }))
    .filter((bar) => bar.row)
    .map(({ row, runtime, dtype }) => ({
      label: `${RUNTIMES[runtime].replace('Chromium ', '')} ${dtype}${row.small ? ' *' : ''}`,
      value: row.pairsPerSecond,
      note: runtime === 'node' ? null : row.xNode === null ? null : `${row.xNode.toFixed(2)}x node`,
      group: groups[runtime],
    }));
  return barChart({
    title: 'PairRM pairs per second at (128, 128), batch 1',
    subtitle: `${meta.layers} layers x ${meta.hidden} (random weights), ${meta.cores} cores, ${meta.date.slice(0, 10)}; * = ${meta.smallLayers}-layer model, scaled`,
    unit: 'pairs/s',
    bars,
  });
}

function rankSection(results, measurements) {
  const node = results.rankNode;
  const lines = [];
  if (node) {
    const sweep = node.results.filter((r) => !r.key.startsWith('typical'));
    const full = (n) => sweep.find((r) => r.n === n && r.strategy === 'full');
    lines.push(
      `Node (onnxruntime-node ${node.dtype}), one input, N candidates of ~${results.plan.rankNode.candidateTokens} tokens, source ~${results.plan.rankNode.sourceTokens} tokens; one call each:`,
      '',
      table(
        ['N', 'strategy', 'passes', 'wall ms', 'ms per pass', 'bubble speed-up'],
        sweep.map((r) => [
          r.n,
          r.strategy,
          r.passes,
          ms(r.medianMs),
          ms(r.medianMs / Math.max(1, r.passes)),
          r.strategy === 'bubble' && full(r.n) ? `${(full(r.n).medianMs / r.medianMs).toFixed(2)}x` : '',
        ]),
      ),
    );
  }
  const typical = results.chromium?.rankTypical;
  const nodeTypical = node?.results.filter((r) => r.key.startsWith('typical')) ?? [];
  const padded = measurements.findAny('torch', 'fp32', `128x128b1p${REFERENCE_PAD}`);
  if (typical || nodeTypical.length > 0) {
    const t = results.texts.typical;
    lines.push(
      '',
      `Typical candidates (source ~${results.plan.rankTypical.sourceTokens}, candidates ~${results.plan.rankTypical.candidateTokens} tokens), N = ${t.candidates.length}, q8:`,
      '',
      table(
        ['where', 'strategy', 'passes', 'wall ms', 'x node'],
        [
          ...nodeTypical.map((r) => ['onnxruntime-node', r.strategy, r.passes, ms(r.medianMs), '1.00x']),
          ...(typical ?? []).map((r) => {
            const base = nodeTypical.find((n) => n.strategy === r.strategy);
            const wall = r.times[0];
            return ['Chromium WASM (createBlender)', r.strategy, r.passes, ms(wall), base ? `${(base.medianMs / wall).toFixed(2)}x` : 'n/a'];
          }),
          ...(padded
            ? [
                [
                  `reference pipeline: PyTorch fp32 tuned, rows padded to ${REFERENCE_PAD} (${padded.msPerPair.toFixed(0)} ms per row measured x passes)`,
                  'full',
                  t.candidates.length * (t.candidates.length - 1),
                  ms(padded.msPerPair * t.candidates.length * (t.candidates.length - 1)),
                  'n/a',
                ],
              ]
            : []),
        ],
      ),
    );
  }
  return lines.join('\n');
}

/** How busy the machine was: absolute times move with it, ratios from the same run much less. */
function loadNote(machine) {
  const load = machine.loadAverage15;
  if (typeof load !== 'number') return 'load average not recorded (bench/NOTES.md describes the conditions); compare the ratios, measured in the same run';
  const busy = load > machine.cores + 1;
  return `15-minute load average ${load.toFixed(1)} at the end on ${machine.cores} cores${busy ? ': other jobs shared the machine, so absolute times are noisy' : ''}; compare the ratios, measured in the same run`;
}

function loadSection(results) {
  const loads = results.chromium?.loads ?? [];
  if (loads.length === 0) return 'Not measured in this run.';
  return table(
    [
      'variant',
      'bytes on the wire',
      'cold: wall ms',
      'cold: download + store ms',
      'cold: session ms',
      'cold: first run ms',
      'warm: wall ms',
      'warm: IndexedDB read + verify ms',
      'warm: session ms',
      'raw IndexedDB read ms (one transaction / one get per chunk)',
      'warm / raw read',
      'renderer peak',
    ],
    loads.map((l) => [
      l.dtype,
      mib(results.model.bytes[l.dtype] + results.model.commonBytes),
      ms(l.cold.wallMs),
      ms(l.cold.timings?.downloadMs),
      ms(l.cold.timings?.sessionMs),
      ms(l.cold.timings?.firstRunMs),
      ms(l.warm.wallMs),
      ms(l.warm.timings?.downloadMs),
      ms(l.warm.timings?.sessionMs),
      `${ms(l.idb.oneTransactionMs)} / ${ms(l.idb.sequentialMs)}`,
      `${(l.warm.wallMs / Math.min(l.idb.oneTransactionMs, l.idb.sequentialMs)).toFixed(2)}x`,
      mib(l.peakRendererBytes),
    ]),
  );
}

function memorySection(results) {
  const rows = [];
  const on = (run) => (run.scaledFromLayers ? `${run.scaledFromLayers}-layer model` : `${results.model.layers} layers`);
  for (const run of results.node ?? []) rows.push([`onnxruntime-node ${run.dtype}, ${on(run)} (process VmHWM)`, mib(run.peakBytes)]);
  if (results.rankNode) rows.push([`Node createBlender ${results.rankNode.dtype}, rank (process VmHWM)`, mib(results.rankNode.peakBytes)]);
  if (results.torch?.peakBytes) rows.push([`PyTorch fp32 tuned, ${results.model.layers} layers (process max RSS)`, mib(results.torch.peakBytes)]);
  for (const run of results.chromium?.wasm ?? []) {
    rows.push([`Chromium WASM ${run.dtype}, ${run.threads} thread(s), ${on(run)} (renderer VmHWM: page + worker)`, mib(run.peakRendererBytes)]);
  }
  for (const l of results.chromium?.loads ?? [])
    rows.push([`Chromium createBlender ${l.dtype}: load twice, read back, rank (renderer VmHWM)`, mib(l.peakRendererBytes)]);
  return table(['process', 'peak memory'], rows);
}

function bytesSection(model) {
  const fp32 = model.bytes.fp32;
  return table(
    ['variant', 'graph bytes', 'with config + tokenizer', '% of fp32'],
    ['fp32', 'fp16', 'q8', 'q4']
      .filter((d) => model.bytes[d])
      .map((d) => [d, model.bytes[d].toLocaleString('en'), mib(model.bytes[d] + model.commonBytes), `${((100 * model.bytes[d]) / fp32).toFixed(1)}%`]),
  );
}

function agreementSection(results, measurements) {
  const rows = [];
  for (const runtime of ['node', 'wasm2', 'wasm1']) {
    for (const dtype of ['q8', 'q4']) {
      const a = agreementWithFp32(measurements, runtime, dtype);
      if (a) rows.push([RUNTIMES[runtime], dtype, `${a.same}/${a.total} (${a.pct.toFixed(0)}%)`, a.maxAbsDiff.toFixed(3)]);
    }
  }
  const torchCheck = measurements.rows.filter((r) => r.runtime === 'torch' && r.logits && !r.padTo);
  let worst = 0;
  for (const r of torchCheck) {
    const ref = measurements.find('node', 'fp32', r.key)?.logits;
    if (ref) r.logits.forEach((l, k) => (worst = Math.max(worst, Math.abs(l - ref[k]))));
  }
  const manifest = results.model.agreement;
  return [
    table(['runtime', 'dtype', 'same sign as fp32 (benchmark rows)', 'max |logit - fp32 logit|'], rows),
    '',
    torchCheck.length ? `PyTorch fp32 vs onnxruntime-node fp32 on the same rows: max |dlogit| ${worst.toExponential(1)} (same weights, same model).` : '',
    manifest
      ? `Export-time agreement (manifest, ${manifest.rows} ${manifest.rows_from}): ${['fp16', 'q8', 'q4']
          .filter((d) => manifest[d])
          .map((d) => `${d} ${manifest[d].sign_agreement_pct}% same sign, max |dlogit| ${manifest[d].max_abs_dlogit}`)
          .join('; ')}.`
      : '',
    'Random weights and random ids give logits near 0 for many rows, so sign flips here overstate what a trained model would see.',
  ].join('\n');
}

/** `strategies`: bench/strategies.json (node bench/strategies.mjs), or null when not measured. */
export function renderReport(results, strategies = null, fleet = null) {
  const m = results.machine;
  const measurements = collectMeasurements(results);
  const model = results.model;
  const meta = { layers: model.layers, hidden: model.hidden, cpu: m.cpu, cores: m.cores, date: m.date, smallLayers: results.small?.layers ?? model.layers };
  const webgpu = results.chromium?.webgpu;
  const notes = (() => {
    try {
      return readFileSync(fileURLToPath(new URL('./NOTES.md', import.meta.url)), 'utf8').trim();
    } catch {
      return '';
    }
  })();
  const md = `# Benchmark results

Generated by \`npm run bench${results.plan.quick ? ' -- --quick' : ''}\` (bench/run.mjs); re-render with \`node bench/report.mjs\`.

- date: ${m.date}; commit ${m.commit}${m.dirty ? ' (with uncommitted changes in src/, workers/ or bench/page/)' : ''}
- machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; no GPU
- software: Node ${m.node}, onnxruntime-node ${m.onnxruntimeNode}, onnxruntime-web ${m.onnxruntimeWeb}, ${m.chromium ? `Chromium ${m.chromium.replace(/^Chromium /, '')}` : 'Chromium not run'}, PyTorch ${m.torch ?? 'not run'} (libblas alternative: ${m.blas ?? 'unknown'})
- model: ${model.relative}: random weights, PairRM's dimensions (${model.layers} layers x ${model.hidden}, vocab ${model.vocab}, rows up to 1224 + 2 x 412 = 2048 tokens)
- run: ${results.plan.quick ? 'quick' : 'full'}, ${(results.totalSeconds / 60).toFixed(1)} min${Number.isFinite(results.plan.budgetMinutes) ? ` (budget ${results.plan.budgetMinutes} min)` : ''}; ${loadNote(results.machine)}
- a "pair" is one ordered comparison, one model row of source + 2 x candidate tokens (specials included); medians of the runs listed

![pairs per second at (128, 128)](results.svg)

## Targets

${table(['target', 'measured', 'status', 'what limits it'], targetRows(results, measurements, LIMITS))}

## Throughput: ms per pair and pairs per second

"x node" is pairs/s over onnxruntime-node's at the same case, dtype and model, measured in this run (PyTorch against node fp32).${results.small ? ` Rows on the ${results.small.layers}-layer model (same widths) are scaled to ${results.model.layers} layers (x${results.model.layers / results.small.layers}); the (128, 128) rows on both models show how well that holds.` : ''}

${throughputTable(measurements, results)}

## Length-bucketed padding vs padding every row to ${REFERENCE_PAD}

${paddingSection(measurements)}

## rank: passes and wall time

${rankSection(results, measurements)}

## Ranking on a budget: cheaper strategies against full

${strategiesSection(strategies)}

## Scale-out: eval on a fleet of workers (BullMQ on Redis)

${fleetSection(fleet)}

## Loads in Chromium (createBlender, device wasm)

Cold: empty cache, network (the vite dev server on localhost) -> verify -> IndexedDB -> session -> warm-up run. Warm: a new blender, IndexedDB -> verify -> session -> warm-up run. Raw read: the same chunks read back from IndexedDB with no verification or session.

${loadSection(results)}

## Bytes on the wire per variant (manifest)

${bytesSection(model)}

## Quantized variants: agreement with fp32

${agreementSection(results, measurements)}

## Peak memory

${memorySection(results)}

## WebGPU

${webgpu ? `${webgpu.status}${webgpu.probe?.available ? ` (adapter: ${[webgpu.probe.adapter.vendor, webgpu.probe.adapter.architecture, webgpu.probe.adapter.description].filter(Boolean).join(' ') || 'unnamed'})` : ''}.` : 'Not run.'}
bench/gpu.sh runs the quick benchmark with a real adapter (Vulkan) on a GPU machine; ${results.gpuScriptRan ? 'it ran: see above.' : 'it has not run: no GPU machine was available to this run.'}

## What ran

${planSection(results)}
${notes ? `\n${notes}\n` : ''}`;
  return { md, svg: chart(measurements, meta) };
}

function paddingSection(measurements) {
  const rows = [];
  for (const [runtime, dtype] of [
    ['node', 'fp32'],
    ['torch', 'fp32'],
  ]) {
    for (const suffix of ['', '@small']) {
      const bucketed = measurements.find(runtime, dtype, `128x128b1${suffix}`);
      const padded = measurements.find(runtime, dtype, `128x128b1p${REFERENCE_PAD}${suffix}`);
      if (bucketed && padded) {
        const model = padded.small ? `${padded.scaledFromLayers} layers, x${padded.scale}` : 'as run';
        rows.push([
          `${RUNTIMES[runtime]} ${dtype} (${model})`,
          ms(bucketed.msPerPair),
          ms(padded.msPerPair),
          `${(padded.msPerPair / bucketed.msPerPair).toFixed(1)}x`,
        ]);
      }
    }
  }
  return rows.length
    ? table(['runtime', `(128, 128) bucketed: 384 tokens, ms per pair`, `same row padded to ${REFERENCE_PAD}, ms per pair`, 'speed-up'], rows)
    : 'Not measured in this run.';
}

function planSection(results) {
  return [
    table(
      ['job', 'level', 'cases (xR = median of R runs)', 'seconds'],
      results.ran.map((r) => [
        r.job,
        r.level,
        `${r.cases.join(', ') || '-'}${r.error ? ` **failed**: ${r.error.replace(/\s+/g, ' ').replace(/\|/g, '/')}` : ''}${r.skipped ? ` (skipped: ${r.skipped})` : ''}`,
        r.seconds.toFixed(0),
      ]),
    ),
    '',
    'Levels: 1 = the cases the targets need, 2 = the main grid, 3 = extra batches and lengths; a full run takes, job by job, the highest level whose estimated cost (corrected by the jobs already run) fits its time budget.',
    'Keys: (source)x(candidate)b(batch)[p(padded length)]. Long cases run once or twice without a warm-up run (one run takes tens of seconds there); 1-thread WASM only at (128, 128); fp16 is not timed on CPU (bytes only); WebGPU only with a real adapter.',
  ].join('\n');
}

/** The strategies section's figures are read from `strategiesPath` (default: beside RESULTS.md) when present. */
export function writeReport(results, outDir, strategiesPath = join(outDir, 'strategies.json')) {
  const strategies = existsSync(strategiesPath) ? JSON.parse(readFileSync(strategiesPath, 'utf8')) : null;
  const fleetPath = join(dirname(strategiesPath), 'fleet.json');
  const fleet = existsSync(fleetPath) ? JSON.parse(readFileSync(fleetPath, 'utf8')) : null;
  const { md, svg } = renderReport(results, strategies, fleet);
  writeFileSync(`${outDir}/RESULTS.md`, md);
  writeFileSync(`${outDir}/results.svg`, svg);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? 'bench/results.json';
  writeReport(JSON.parse(readFileSync(path, 'utf8')), process.argv[3] ?? dirname(path), join(dirname(path), 'strategies.json'));
}

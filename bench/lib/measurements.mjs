// results.json -> one flat list of throughput measurements with per-pair figures and the
// ratio to onnxruntime-node (same dtype, same case, same model; PyTorch against node fp32).
// Cases run on the small model (keys ending in @small) are scaled to the full layer count.
import { SMALL_SUFFIX } from './plan.mjs';

export const RUNTIMES = {
  node: 'onnxruntime-node CPU',
  wasm2: 'Chromium WASM, 2 threads',
  wasm1: 'Chromium WASM, 1 thread',
  webgpu: 'Chromium WebGPU',
  torch: 'PyTorch CPU tuned',
  torchInstalled: 'PyTorch CPU as installed',
};

function parseKey(key) {
  const match = /^(\d+)x(\d+)b(\d+)(?:p(\d+))?(@small)?$/.exec(key);
  return match ? { source: +match[1], candidate: +match[2], batch: +match[3], padTo: match[4] ? +match[4] : null, small: Boolean(match[5]) } : null;
}

function rowsOf(runtime, dtype, run, extra = {}) {
  const scale = run?.scale ?? 1;
  return (run?.results ?? []).map((r) => ({
    runtime,
    dtype,
    ...extra,
    ...parseKey(r.key),
    key: r.key,
    length: r.length,
    times: r.times,
    scale,
    scaledFromLayers: run.scaledFromLayers ?? null,
    medianMs: r.medianMs * scale,
    msPerPair: (r.medianMs * scale) / r.batch,
    pairsPerSecond: (1000 * r.batch) / (r.medianMs * scale),
    logits: r.logits,
  }));
}

export function collectMeasurements(results) {
  const rows = [];
  for (const run of results.node ?? []) rows.push(...rowsOf('node', run.dtype, run));
  for (const run of results.chromium?.wasm ?? []) {
    const runtime = run.threads === 1 ? 'wasm1' : 'wasm2';
    rows.push(...rowsOf(runtime, run.dtype, run, { threads: run.threads }));
  }
  for (const run of results.chromium?.webgpu?.runs ?? []) rows.push(...rowsOf('webgpu', run.dtype, run));
  for (const name of ['torch', 'torchSmall']) if (results[name]) rows.push(...rowsOf('torch', 'fp32', results[name]));
  if (results.torchInstalled) rows.push(...rowsOf('torchInstalled', 'fp32', results.torchInstalled));
  const find = (runtime, dtype, key) => rows.find((r) => r.runtime === runtime && r.dtype === dtype && r.key === key) ?? null;
  /** The 24-layer measurement of a case, else the small model's (scaled). */
  const findAny = (runtime, dtype, key) => find(runtime, dtype, key) ?? find(runtime, dtype, key + SMALL_SUFFIX);
  /** Two measurements of the same case on the same model (24-layer preferred), or null. */
  const pair = (a, b, key) => {
    for (const suffix of ['', SMALL_SUFFIX]) {
      const first = find(a[0], a[1], key + suffix);
      const second = find(b[0], b[1], key + suffix);
      if (first && second) return [first, second];
    }
    return null;
  };
  for (const row of rows) {
    const baseline = find('node', row.runtime.startsWith('torch') ? 'fp32' : row.dtype, row.key);
    row.xNode = baseline ? row.pairsPerSecond / baseline.pairsPerSecond : null;
  }
  return { rows, find, findAny, pair };
}

/** Sign agreement of `dtype` with fp32 on one runtime, over every case both measured. */
export function agreementWithFp32(measurements, runtime, dtype) {
  let same = 0;
  let total = 0;
  let worst = 0;
  for (const row of measurements.rows.filter((r) => r.runtime === runtime && r.dtype === dtype && r.logits)) {
    const reference = measurements.find(runtime, 'fp32', row.key)?.logits;
    if (!reference) continue;
    row.logits.forEach((logit, k) => {
      if (reference[k] === undefined) return;
      total++;
      if (logit >= 0 === reference[k] >= 0) same++;
      worst = Math.max(worst, Math.abs(logit - reference[k]));
    });
  }
  return total === 0 ? null : { same, total, pct: (100 * same) / total, maxAbsDiff: worst };
}

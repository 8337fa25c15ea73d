// Session creation in onnxruntime-node for the q8 experiment's graphs (make_variants.py):
// median of 7 creations per graph and optimization level, the share of it spent in ORT's
// allocation planner (from ORT's verbose log: "Use DeviceBasedPartition" to "Saving
// initialized tensors"), and whether the N-D per-row form gives the 2-D rows form's outputs
// bit for bit on the same rows (same arithmetic, other graph form).
//
//   /usr/bin/python3 bench/q8-session/make_variants.py && node bench/q8-session/time-sessions.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.cache', 'q8-session');
const SHIPPED = join(ROOT, 'public', 'models', 'synth-pairrm', 'onnx');
const graphs = [
  ['fp32, dims unnamed', join(DIR, 'fp32_unnamed.onnx')],
  ['fp32 (shipped: dims named)', join(SHIPPED, 'model.onnx')],
  ['q4, dims unnamed', join(DIR, 'q4_unnamed.onnx')],
  ['q4 (shipped: dims named)', join(SHIPPED, 'model_q4.onnx')],
  ['q8 per row, 2-D rows (form="rows")', join(DIR, 'q8_per_row.onnx')],
  ['q8 per row, 2-D rows, dims named', join(DIR, 'q8_per_row_named.onnx')],
  ['q8 per row, N-D (form="nd")', join(DIR, 'q8_nd_rows.onnx')],
  ['q8 per row, N-D, dims named (shipped)', join(DIR, 'q8_nd_rows_named.onnx')],
  ['q8 MatMulNBits 8-bit (form="nbits")', join(DIR, 'q8_nbits.onnx')],
  ['q8 per tensor (batch-dependent)', join(DIR, 'q8_per_tensor.onnx')],
  ...['unary', 'broadcast', 'reshape'].flatMap((kind) =>
    [100, 200, 400].flatMap((n) => [
      [`chain ${kind} x${n}`, join(DIR, `chain_${kind}_${n}.onnx`)],
      [`chain ${kind} x${n}, dims named`, join(DIR, `chain_${kind}_${n}_named.onnx`)],
    ]),
  ),
];

async function medianCreateMs(bytes, level) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
    times.push(performance.now() - started);
    await session.release();
  }
  return times.sort((a, b) => a - b)[3];
}

/** Seconds in the allocation planner and in all, from ORT's verbose log of one creation (a child process: ORT logs to its stderr). */
function plannerShare(path, level) {
  const script = `const ort = require('onnxruntime-node'); ort.InferenceSession.create(${JSON.stringify(path)}, { graphOptimizationLevel: '${level}', intraOpNumThreads: 1, logSeverityLevel: 0, logVerbosityLevel: 0 });`;
  const log = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT }).stderr;
  const times = log.split('\n').flatMap((line) => {
    const match = /^\S+ (\d+):(\d+):([\d.]+) /.exec(line);
    return match ? [{ line, t: Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) }] : [];
  });
  const at = (text) => times.find((entry) => entry.line.includes(text))?.t ?? NaN;
  return { planner: at('Saving initialized tensors.') - at('DeviceBasedPartition'), total: times.at(-1).t - times[0].t };
}

async function logitsOf(path) {
  const session = await ort.InferenceSession.create(readFileSync(path), { intraOpNumThreads: 1 });
  const rows = 3;
  const length = 24;
  const ids = BigInt64Array.from({ length: rows * length }, (_, i) => BigInt(1 + ((i * 37) % 1900)));
  const mask = new BigInt64Array(rows * length).fill(1n);
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [rows, length]), attention_mask: new ort.Tensor('int64', mask, [rows, length]) });
  await session.release();
  return [...out.logits.data, ...out.marker_hidden_states.data];
}

const q4 = {};
console.log('| graph | nodes | create, all (ms) | x q4 | create, disabled (ms) | x q4 | planner share (disabled) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, path] of graphs) {
  const bytes = readFileSync(path);
  const all = await medianCreateMs(bytes, 'all');
  const disabled = await medianCreateMs(bytes, 'disabled');
  if (name.startsWith('q4 (shipped')) Object.assign(q4, { all, disabled });
  const share = plannerShare(path, 'disabled');
  const nodes = spawnSync('/usr/bin/python3', ['-c', `import onnx; print(len(onnx.load(${JSON.stringify(path)}).graph.node))`], {
    encoding: 'utf8',
  }).stdout.trim();
  const ratio = (value, base) => (base ? `${(value / base).toFixed(2)}` : '');
  console.log(
    `| ${name} | ${nodes} | ${all.toFixed(0)} | ${ratio(all, q4.all)} | ${disabled.toFixed(0)} | ${ratio(disabled, q4.disabled)} | ${((share.planner / share.total) * 100).toFixed(0)}% of ${(share.total * 1000).toFixed(0)} ms |`,
  );
}
const [rows, nd] = await Promise.all([logitsOf(join(DIR, 'q8_per_row.onnx')), logitsOf(join(DIR, 'q8_nd_rows.onnx'))]);
console.log(
  `\nN-D per-row outputs (logits, marker states) equal the 2-D rows form's bit for bit: ${rows.length === nd.length && rows.every((value, i) => Object.is(value, nd[i]))} (${rows.length} values)`,
);

// The model store's warm start in Chromium, OPFS against IndexedDB, in one run:
//
//   node bench/store.mjs [--mb 128[,296,...]] [--rounds 5] [--model <folder> --file <path>[,<path>...]]
//        [--first-rank <folder>:<dtype>[,<folder>:<dtype>...]]
//
// A file (by default a synthetic one of --mb random bytes, in a model folder with a
// manifest under .cache/bench-store/, one per size given; or a real model folder's file) is downloaded once into
// each store, then read back by a fresh store per round: through OPFS (sync access handle,
// xxHash64 check of the stored copy), through IndexedDB as before OPFS (chunks joined, sha256),
// the IndexedDB read alone (the ranker's session starts while its sha256 runs), and the raw
// OPFS read of the same bytes. Medians, and the issue's ratios: OPFS warm / IndexedDB warm
// (target <= 0.4) and OPFS warm / raw read (target <= 2). Writes bench/store-results.json and
// bench/STORE.md. The store is blind to what the bytes are, so a synthetic file of a model's
// size measures what that model's warm read costs (not its session creation).
//
// --first-rank adds, per folder and dtype, in the same run: session creation in
// onnxruntime-node (the graph's bytes already in memory, median of --rounds), and a returning
// visitor's wait in the page (bench/store/first-rank.html, the library itself on WASM): the
// model is loaded once (cold, into OPFS), then each round opens the page afresh and times
// createBlender (read + verify + self-check + session) and the first rank() of 3 candidates.
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openBenchPage, startBenchServer } from './lib/chromium.mjs';
import { describeMachine } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4442);
const ROOT = resolve(import.meta.dirname, '..');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** A model folder with one file of `mb` MiB of random bytes and its manifest (made once, kept). */
function syntheticFolder(mb) {
  const folder = join(ROOT, '.cache', 'bench-store', `synthetic-${mb}mb`);
  const file = 'onnx/model_quantized.onnx';
  if (!existsSync(join(folder, 'manifest.json'))) {
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    const bytes = new Uint8Array(mb * 2 ** 20);
    for (let at = 0; at < bytes.length; at += 2 ** 16) randomFillSync(bytes, at, Math.min(2 ** 16, bytes.length - at));
    writeFileSync(join(folder, file), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ files: [{ path: file, bytes: bytes.length, sha256 }] }));
  }
  return { folder, file };
}

const sizes = option('mb', '128').split(',').map(Number);
const rounds = Number(option('rounds', '5'));
const given = option('model', undefined);
const folders = given
  ? option('file', 'onnx/model_quantized.onnx')
      .split(',')
      .map((file) => ({ folder: resolve(given), file }))
  : sizes.map(syntheticFolder);
const firstRankModels = (option('first-rank', '') || '')
  .split(',')
  .filter(Boolean)
  .map((spec) => {
    const at = spec.lastIndexOf(':');
    return { folder: resolve(spec.slice(0, at)), dtype: spec.slice(at + 1) };
  });
const DTYPE_FILES = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx', q4: 'onnx/model_q4.onnx' };
const SMALL_SET = {
  input: 'What is the capital of France?',
  candidates: ['Paris is the capital of France.', 'The capital of France is Lyon.', 'I do not know.'],
};

/** Median session creation in onnxruntime-node from the graph's bytes (read once, outside the timing). */
async function nodeSessionMs(path) {
  const { default: ort } = await import('onnxruntime-node');
  const bytes = readFileSync(path);
  const times = [];
  for (let round = 0; round < Math.max(3, rounds); round++) {
    const started = performance.now();
    const session = await ort.InferenceSession.create(bytes);
    times.push(performance.now() - started);
    await session.release();
  }
  return { median: median(times), times };
}

const server = await startBenchServer(PORT);
let browser;
try {
  browser = await openBenchPage(server.url);
  const { page } = browser;
  await page.goto(`${server.url}/bench/store/index.html`);
  await page.locator('#status').filter({ hasText: 'ready' }).waitFor();
  const runs = [];
  for (const { folder, file } of folders) {
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    const entry = manifest.files.find((listed) => listed.path === file);
    if (!entry || statSync(join(folder, file)).size !== entry.bytes) throw new Error(`${file} is not in ${folder}'s manifest, or its size differs`);
    console.log(`store bench: ${relative(ROOT, folder)}/${file} (${(entry.bytes / 2 ** 20).toFixed(0)} MiB), ${rounds} rounds`);
    const reply = await page.evaluate((request) => globalThis.storeBench.measure(request), {
      model: `${server.url}/${relative(ROOT, folder)}`,
      path: file,
      sha256: entry.sha256,
      bytes: entry.bytes,
      rounds,
    });
    if (reply.error) throw new Error(reply.error);
    const medians = Object.fromEntries(Object.entries(reply.series).map(([name, values]) => [name, median(values)]));
    const ratios = {
      opfsWarmOverIdbWarm: medians.opfsWarm / medians.idbWarm,
      opfsWarmOverIdbReadOnly: medians.opfsWarm / medians.idbReadOnly,
      opfsWarmOverRawRead: medians.opfsWarm / medians.rawOpfsRead,
      sha256WebCryptoOverXxh64: medians.sha256WebCrypto / medians.xxh64,
    };
    runs.push({
      file: { path: file, bytes: entry.bytes, synthetic: !given },
      coldOpfsMs: reply.coldOpfsMs,
      coldIdbMs: reply.coldIdbMs,
      series: reply.series,
      medians,
      ratios,
    });
  }
  const firstRanks = [];
  for (const { folder, dtype } of firstRankModels) {
    const file = DTYPE_FILES[dtype];
    const label = `${relative(ROOT, folder)} ${dtype}`;
    console.log(`first rank: ${label}: onnxruntime-node sessions`);
    const node = await nodeSessionMs(join(folder, file));
    const request = { ranker: `${server.url}/${relative(ROOT, folder)}`, dtype, ...SMALL_SET };
    const round = async () => {
      await page.goto(`${server.url}/bench/store/first-rank.html`);
      await page.locator('#status').filter({ hasText: 'ready' }).waitFor();
      const reply = await page.evaluate((r) => globalThis.firstRankBench.firstRank(r), request);
      if (reply.error) throw new Error(`${label}: ${reply.error}`);
      return reply;
    };
    console.log(`first rank: ${label}: cold load, then ${rounds} returning visits`);
    const cold = await round();
    const visits = [];
    for (let i = 0; i < rounds; i++) visits.push(await round());
    if (visits.some((visit) => visit.modelStore !== 'opfs')) throw new Error(`${label}: a visit did not read from OPFS`);
    const pick = (get) => median(visits.map(get));
    firstRanks.push({
      label,
      file: { path: file, bytes: statSync(join(folder, file)).size },
      nodeSessionMs: node.median,
      nodeSessionTimes: node.times,
      cold: { totalMs: cold.totalMs, timings: cold.timings },
      visits,
      medians: {
        totalMs: pick((v) => v.totalMs),
        readMs: pick((v) => v.timings.downloadMs),
        sessionMs: pick((v) => v.timings.sessionMs),
        firstRunMs: pick((v) => v.timings.firstRunMs),
        loadMs: pick((v) => v.timings.loadMs),
        rankMs: pick((v) => v.rankMs),
      },
    });
  }
  const results = { machine: describeMachine({ chromium: browser.version }), rounds, runs, firstRanks };
  writeFileSync(join(ROOT, 'bench', 'store-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'STORE.md'), report(results));
  console.log(report(results));
} finally {
  await browser?.close();
  server.stop();
}

function report({ machine, rounds, runs, firstRanks }) {
  const models = runs[0].file.synthetic
    ? ` --mb ${runs.map((run) => Math.round(run.file.bytes / 2 ** 20)).join(',')}`
    : ` --model ${relative(ROOT, given)} --file ${runs.map((run) => run.file.path).join(',')}`;
  const ranked = firstRanks.length ? ` --first-rank ${firstRankModels.map(({ folder, dtype }) => `${relative(ROOT, folder)}:${dtype}`).join(',')}` : '';
  const command = `node bench/store.mjs${models}${ranked} --rounds ${rounds}`;
  return `# Model store: warm start, OPFS against IndexedDB

\`${command}\` on ${machine.cpu} (${machine.cores} cores), Chromium ${machine.chromium}, ${machine.date.slice(0, 10)}, commit ${machine.commit}${machine.dirty ? ' (with uncommitted changes in the tree)' : ''}; 15-minute load average at the end ${machine.loadAverage15.toFixed(1)} (above 2: other jobs shared the cores, slowing every row alike).

Each file is downloaded once into each store, then read back by a fresh store in a worker, ${rounds} rounds, medians, all in the same run. ${runs[0].file.synthetic ? 'Synthetic files are random bytes: the store never looks inside a file, so this is the warm read of a model that size, without its session.' : 'These are the model files themselves; their sessions are in the last section when --first-rank is given.'}
${runs.map(section).join('')}${firstRanks.length ? firstRankSection(firstRanks) : ''}`;
}

function firstRankSection(firstRanks) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const q4 = firstRanks.find((entry) => entry.label.endsWith(' q4'));
  const ratio = (value, base) => (base ? ` (${(value / base).toFixed(2)}x q4)` : '');
  const rows = firstRanks.map(({ label, file, nodeSessionMs, medians }) =>
    [
      `| ${label} (${(file.bytes / 2 ** 20).toFixed(0)} MiB)`,
      `${s(nodeSessionMs)}${ratio(nodeSessionMs, q4?.nodeSessionMs)}`,
      s(medians.readMs),
      `${s(medians.sessionMs)}${ratio(medians.sessionMs, q4?.medians.sessionMs)}`,
      s(medians.firstRunMs),
      s(medians.loadMs),
      s(medians.rankMs),
      `**${s(medians.totalMs)}**${ratio(medians.totalMs, q4?.medians.totalMs)} |`,
    ].join(' | '),
  );
  return `
## Session creation and a returning visitor's first ranking

Session creation in onnxruntime-node (bytes in memory, default options, median of ${Math.max(3, firstRanks[0].nodeSessionTimes.length)}); then the page, through the library on WASM (bench/store/first-rank.html): the model loaded once into OPFS, then ${firstRanks[0].visits.length} visits, each a freshly opened page: \`createBlender\` (files read from OPFS and checked, session, self-check) and the first \`rank()\` of one input with 3 candidates (6 pairs). Medians; the page's phases are the ranker's own \`info().ranker.timings\`.

| model | node session | page: read + check | page: session | page: warm-up run | page: load in all | page: first rank() | **createBlender + first rank()** |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}

function section({ file, coldOpfsMs, coldIdbMs, medians, ratios }) {
  const ms = (value) => `${value.toFixed(0)} ms`;
  const mbps = (value) => `${(file.bytes / 2 ** 20 / (value / 1000)).toFixed(0)} MiB/s`;
  const verdict = (ok) => (ok ? 'met' : 'missed');
  return `
## ${(file.bytes / 2 ** 20).toFixed(0)} MiB${file.synthetic ? ' (synthetic)' : ` (${file.path})`}

| path | median | rate |
| --- | ---: | ---: |
| OPFS warm load (sync handle read + xxHash64 check) | ${ms(medians.opfsWarm)} | ${mbps(medians.opfsWarm)} |
| IndexedDB warm load as before (chunks joined + sha256) | ${ms(medians.idbWarm)} | ${mbps(medians.idbWarm)} |
| IndexedDB read alone (sha256 left running beside the session) | ${ms(medians.idbReadOnly)} | ${mbps(medians.idbReadOnly)} |
| raw OPFS read of the same bytes (no check) | ${ms(medians.rawOpfsRead)} | ${mbps(medians.rawOpfsRead)} |
| xxHash64 of the bytes (hash-wasm) | ${ms(medians.xxh64)} | ${mbps(medians.xxh64)} |
| sha256, WebCrypto | ${ms(medians.sha256WebCrypto)} | ${mbps(medians.sha256WebCrypto)} |
| sha256, hash-wasm (what a download hashes with) | ${ms(medians.sha256Wasm)} | ${mbps(medians.sha256Wasm)} |

Cold loads (download from the local dev server and store, once): OPFS ${ms(coldOpfsMs)}, IndexedDB ${ms(coldIdbMs)}.

- OPFS warm / IndexedDB warm = ${ratios.opfsWarmOverIdbWarm.toFixed(2)} (target <= 0.4: ${verdict(ratios.opfsWarmOverIdbWarm <= 0.4)}); against the IndexedDB read alone ${ratios.opfsWarmOverIdbReadOnly.toFixed(2)}.
- OPFS warm / raw OPFS read = ${ratios.opfsWarmOverRawRead.toFixed(2)} (target <= 2: ${verdict(ratios.opfsWarmOverRawRead <= 2)}).
- sha256 (WebCrypto) costs ${ratios.sha256WebCryptoOverXxh64.toFixed(1)}x the xxHash64 check a stored OPFS copy gets.
`;
}

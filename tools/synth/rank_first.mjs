// The candidate a ranker folder ranks first, for each JSON Lines row read from stdin
// ({"instruction"?, "input", "candidates": [...]}), written as {"first": index} lines: the
// "top-ranked candidate" baseline of tools/synth/fuser_eval.py. It runs this checkout's Node
// entry (src/node/index.ts), built here into .cache/synth/node-entry with vite's API (the
// entry alone, as `vite build --mode node` builds it, so it does not depend on the CLI).
//
//   node tools/synth/rank_first.mjs --ranker public/models/synth-pairrm [--dtype fp32] < rows.jsonl
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const { values: args } = parseArgs({ options: { ranker: { type: 'string' }, dtype: { type: 'string', default: 'fp32' } } });
const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = `${root}.cache/synth/node-entry`;
await build({
  root,
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: { ssr: true, outDir, target: 'node20', emptyOutDir: true, rollupOptions: { input: { index: 'src/node/index.ts' } } },
});
const { createBlender } = await import(pathToFileURL(`${outDir}/index.js`).href);
// Streamed, not readFileSync(0): a pipe left non-blocking by the parent makes that throw EAGAIN.
let text = '';
for await (const chunk of process.stdin) text += String(chunk);
const rows = text
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const blender = await createBlender({ ranker: args.ranker, dtype: args.dtype, threads: 1 });
const ranks = await blender.rank(
  rows.map((row) => row.input),
  rows.map((row) => row.candidates),
  { instructions: rows.map((row) => row.instruction ?? '') },
);
await blender.dispose();
process.stdout.write(ranks.map((r) => `${JSON.stringify({ first: r.indexOf(1) })}\n`).join(''));

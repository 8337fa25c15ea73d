// What a benchmark run measures: a list of jobs (one runtime + dtype + model each) whose
// cases carry a level: 1 = needed for a target, 2 = the main grid, 3 = extra batches and
// lengths. A full run takes, job by job, the levels that fit its time budget
// (bench/lib/budget.mjs); RESULTS.md lists what ran.
//
// On 2 shared cores one 24-layer forward takes seconds natively and tens of seconds in
// WASM, a 2048-token row minutes. So the 24-layer model runs the baseline (onnxruntime-node),
// PyTorch, Chromium WASM q8 (the page's WASM default), loads and rank; jobs marked `small`
// run on a model with the same widths and fewer layers (make_large.sh --layers 2) and are
// scaled by the layer ratio: 2048-token rows, fp32 / q4 and 1-thread WASM. Their ratios to
// onnxruntime-node come from node on the same small model in the same run, and (128, 128)
// runs on both models so RESULTS.md shows how well the scaling holds.
import { pairRows } from './rows.mjs';

// The issue's grid: (source, candidate) in (32, 64), (128, 128), (256, 412), (1224, 412),
// batch 1, 4, 8; each job below picks its part of it.
/** The reference's padding: every row to source max + 2 x candidate max. */
export const REFERENCE_PAD = 2048;
export const SMALL_SUFFIX = '@small';

const caseKey = (source, candidate, batch, padTo) => `${source}x${candidate}b${batch}${padTo ? `p${padTo}` : ''}`;

/**
 * Runs and warm-up: a warm-up run and 3 timed runs where a run is short; fewer where one
 * run takes tens of seconds (24-layer WASM, long rows), with no warm-up for the longest.
 */
function effort(tokens, { quick, heavy }) {
  if (quick) return { runs: 1, warmup: true };
  if (tokens <= 400) return { runs: heavy ? 2 : 3, warmup: true };
  if (tokens <= 1600 && !heavy) return { runs: 2, warmup: false };
  return { runs: 1, warmup: false };
}

export function makePlan(config, { quick }) {
  const make = (source, candidate, batch, level, { small = false, heavy = false, padTo } = {}) => ({
    key: caseKey(source, candidate, batch, padTo) + (small ? SMALL_SUFFIX : ''),
    level,
    rows: pairRows(config, source, candidate, batch),
    ...(padTo ? { padTo } : {}),
    ...effort((padTo ?? source + 2 * candidate) * batch, { quick, heavy }),
  });
  /** Cases from [source, candidate, batch, level] tuples; quick runs keep the short ones at batch <= 4. */
  const cases = (tuples, options) =>
    tuples
      .filter(([s, , b]) => !quick || (s <= 128 && b <= 4))
      .map(([s, c, b, level]) => make(s, c, b, level, options))
      .sort((a, b) => a.level - b.level);
  const shortBatches = (level) => [
    [32, 64, 4, level],
    [32, 64, 8, level],
    [128, 128, 4, level],
    [128, 128, 8, level],
  ];
  const small = { small: true };
  // The reference pipeline's cost: a (128, 128) row padded to 2048, as the reference pads every row.
  const padded = (level, runs = 1) => ({ ...make(128, 128, 1, level, { small: true, padTo: REFERENCE_PAD }), runs, warmup: false });
  const long = (level) => ({ ...make(1224, 412, 1, level, small), warmup: false });
  const atSmall = (level) => make(128, 128, 1, level, small);

  const real = [
    { kind: 'node', dtype: 'fp32', cases: cases([[128, 128, 1, 1], [32, 64, 1, 2], [256, 412, 1, 2], ...shortBatches(3)]) },
    { kind: 'node', dtype: 'q8', cases: cases([[128, 128, 1, 1], [32, 64, 1, 2], [256, 412, 1, 2], ...shortBatches(3)]) },
    {
      kind: 'node',
      dtype: 'q4',
      cases: cases([
        [128, 128, 1, 1],
        [32, 64, 1, 2],
        [256, 412, 1, 3],
      ]),
    },
    {
      kind: 'torch',
      dtype: 'fp32',
      cases: cases([
        [128, 128, 1, 1],
        [32, 64, 1, 2],
        [128, 128, 4, 3],
        [256, 412, 1, 3],
      ]),
    },
    {
      kind: 'wasm',
      dtype: 'q8',
      threads: 2,
      cases: cases(
        [
          [128, 128, 1, 1],
          [32, 64, 1, 2],
          [128, 128, 4, 3],
          [256, 412, 1, 3],
        ],
        { heavy: true },
      ),
    },
    // Cold and warm load, raw IndexedDB read, rank of 4 typical candidates. (The `cases`
    // here only size the job for the budget: the rank's passes of ~280 tokens.)
    { kind: 'loads', dtype: 'q8', level: 1, rank: ['full'], cases: [{ key: 'rank full of 4 typical', level: 1, estimateLength: 280, passes: 12, runs: 1 }] },
    { kind: 'rank', dtype: 'q8', sizes: quick ? [2, 4] : [2, 4, 8, 16] },
    {
      kind: 'webgpu',
      dtypes: ['fp32', 'q4', 'fp16'],
      cases: cases([
        [32, 64, 1, 1],
        [128, 128, 1, 1],
      ]),
    },
  ];
  if (quick) {
    real.push(
      {
        kind: 'wasm',
        dtype: 'fp32',
        threads: 2,
        cases: cases([
          [128, 128, 1, 1],
          [32, 64, 1, 2],
        ]),
      },
      {
        kind: 'wasm',
        dtype: 'q4',
        threads: 2,
        cases: cases([
          [128, 128, 1, 1],
          [32, 64, 1, 2],
        ]),
      },
      ...['q8', 'fp32', 'q4'].map((dtype) => ({ kind: 'wasm', dtype, threads: 1, cases: cases([[128, 128, 1, 2]]) })),
      { kind: 'torchInstalled', dtype: 'fp32', cases: cases([[32, 64, 1, 2]]) },
    );
    // The model is already small: 2048-token rows run on it directly.
    for (const job of real.filter((j) => j.dtype === 'fp32' && (j.kind === 'node' || j.kind === 'torch'))) {
      job.cases.push(make(128, 128, 1, 1, { padTo: REFERENCE_PAD }));
    }
    return { quick, jobs: real, ...rankPlans() };
  }
  const scaled = [
    { kind: 'node', dtype: 'fp32', small: true, cases: [atSmall(1), padded(1, 2), long(2)] },
    { kind: 'node', dtype: 'q8', small: true, cases: [atSmall(1)] },
    { kind: 'node', dtype: 'q4', small: true, cases: [atSmall(1)] },
    { kind: 'torch', dtype: 'fp32', small: true, cases: [atSmall(1), padded(1), long(3)] },
    {
      kind: 'wasm',
      dtype: 'fp32',
      threads: 2,
      small: true,
      cases: cases(
        [
          [128, 128, 1, 1],
          [32, 64, 1, 2],
        ],
        small,
      ),
    },
    {
      kind: 'wasm',
      dtype: 'q4',
      threads: 2,
      small: true,
      cases: cases(
        [
          [128, 128, 1, 1],
          [32, 64, 1, 3],
        ],
        small,
      ),
    },
    {
      kind: 'wasm',
      dtype: 'q8',
      threads: 2,
      small: true,
      cases: cases(
        [
          [128, 128, 1, 1],
          [32, 64, 1, 3],
        ],
        small,
      ),
    },
    ...['q8', 'fp32', 'q4'].map((dtype) => ({ kind: 'wasm', dtype, threads: 1, small: true, cases: cases([[128, 128, 1, 2]], small) })),
    { kind: 'torchInstalled', dtype: 'fp32', small: true, cases: cases([[32, 64, 1, 2]], small) },
    // Real-size fp32 WASM (a 1.7 GB session) and q4 loads when time is left.
    { kind: 'wasm', dtype: 'fp32', threads: 2, cases: cases([[128, 128, 1, 3]], { heavy: true }) },
    { kind: 'loads', dtype: 'q4', level: 3, rank: [], cases: [] },
  ];
  return { quick, jobs: [...real, ...scaled], ...rankPlans() };
}

function rankPlans() {
  return {
    // rank in Node: short texts (the pass counts are the point); typical ones for the target.
    rankNode: { sourceTokens: 16, candidateTokens: 24 },
    rankTypical: { n: 4, sourceTokens: 64, candidateTokens: 100, dtype: 'q8' },
  };
}

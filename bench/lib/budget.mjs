// Fits a full run into its time budget: before each job, the highest level L (1-3) whose
// estimated cost, for this job and every job after it, fits the time left; the job then runs
// its cases of level <= L (level 1 always runs). Estimates start from rough per-token rates
// and are corrected by what each finished job actually took.

/** Relative cost per token of each runtime and dtype, onnxruntime-node fp32 = 1. */
const FACTORS = {
  'node fp32': 1,
  'node q8': 0.7,
  'node q4': 1.1,
  'torch fp32': 1.5,
  'torchInstalled fp32': 25,
  'wasm2 fp32': 8,
  'wasm2 q8': 5,
  'wasm2 q4': 9,
  'wasm1 fp32': 12,
  'wasm1 q8': 8,
  'wasm1 q4': 14,
  'webgpu fp32': 1,
  'webgpu q4': 1,
  'webgpu fp16': 1,
};

/** Attention makes long rows cost more than their token count. */
const tokenCost = (length) => length * (1 + length / 2500);

export function familyOf(job) {
  if (job.kind === 'wasm') return `wasm${job.threads === 1 ? 1 : 2} ${job.dtype}`;
  if (job.kind === 'loads' || job.kind === 'rank') return job.kind === 'rank' ? 'node q8' : 'wasm2 q8';
  return `${job.kind} ${job.dtype ?? 'fp32'}`;
}

export class Budget {
  /** @param seconds time for the whole run (Infinity: no limit); @param bytes variant sizes */
  constructor(seconds, bytes, startedAt = Date.now()) {
    this.deadline = startedAt + seconds * 1000;
    this.bytes = bytes;
    this.msPerToken = 9; // node fp32, 24 layers x 1024, until measured
    this.correction = { node: 1, torch: 1, torchInstalled: 1, wasm: 1, webgpu: 1 };
  }

  caseMs(job, item) {
    const family = familyOf(job);
    const runtime = family.split(' ')[0].replace(/\d$/, '');
    const length = item.estimateLength ?? item.padTo ?? item.rows?.[0]?.length ?? 300;
    const batch = item.rows?.length ?? 1;
    const passes = item.passes ?? batch * (item.runs + (item.warmup ? 1 : 0));
    return this.msPerToken * (FACTORS[family] ?? 4) * this.correction[runtime] * tokenCost(length) * passes * (job.layerShare ?? 1);
  }

  /** Start-up cost of a job: loading its model (and a browser). */
  overheadMs(job) {
    const bytes = this.bytes[job.dtype] ?? 5e8;
    if (job.kind === 'node' || job.kind === 'rank') return 3000 + bytes / 2e5;
    if (job.kind === 'torch' || job.kind === 'torchInstalled') return 40_000;
    // Cold + warm load and two raw reads: IndexedDB here moves ~1-10 MB/s under load.
    if (job.kind === 'loads') return (20_000 + bytes / 2e3) * this.correction.wasm;
    if (job.kind === 'webgpu') return 20_000;
    return (10_000 + bytes / 2e4) * this.correction.wasm;
  }

  /** A job with cases but none at this level does not run (and costs nothing). */
  jobMs(job, level) {
    if (job.level !== undefined && job.level > level) return 0;
    const cases = (job.cases ?? []).filter((c) => c.level <= level);
    if (job.cases?.length && cases.length === 0) return 0;
    return this.overheadMs(job) + cases.reduce((sum, c) => sum + this.caseMs(job, c), 0);
  }

  /** The level for `jobs[index]` given the time left now. */
  levelFor(jobs, index) {
    const left = this.deadline - Date.now();
    for (const level of [3, 2]) {
      const total = jobs.slice(index).reduce((sum, job) => sum + this.jobMs(job, level), 0);
      if (total <= left) return level;
    }
    return 1;
  }

  /** After a job: corrects its runtime's estimates by measured / estimated time. */
  observe(job, cases, measuredMs) {
    const family = familyOf(job);
    const runtime = family.split(' ')[0].replace(/\d$/, '');
    const estimated = cases.reduce((sum, c) => sum + this.caseMs(job, c), 0);
    if (estimated <= 0 || measuredMs <= 0) return;
    if (family === 'node fp32' && !job.small) {
      this.msPerToken *= measuredMs / estimated;
    } else if (runtime in this.correction) {
      this.correction[runtime] *= measuredMs / estimated;
    }
  }
}

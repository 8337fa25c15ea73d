/**
 * The self-check a loaded model runs (docs/model-folder.md, "probe"): the `probe` section of
 * its manifest.json holds a few short inputs, what the fp32 graph computed for them at export,
 * and per variant how far a run may be from that. Pure: the manifest comes in parsed, the
 * outputs of a run come in as numbers; pages and Node share it.
 */
import { BlenderError } from '../../engine/errors';
import { DTYPES, type Backend, type Dtype } from './dtypes';
import type { ModelRole } from './model-info';

export interface RankerProbe {
  kind: 'ranker';
  /** Unpadded id rows, each run alone. */
  rows: number[][];
  /** The fp32 graph's logit of each row. */
  logits: number[];
  /** Per variant: the largest |logit - fp32 logit| allowed. */
  tolerance: Partial<Record<Dtype, { logit: number }>>;
}

export interface FuserProbe {
  kind: 'fuser';
  /** Encoder id rows (eos last), each run alone. */
  prompts: number[][];
  maxNewTokens: number;
  /** The fp32 greedy ids of each prompt, decoder start token first. */
  greedy: number[][];
  /** The first decoder step's logits at the fp32 top ids of each prompt. */
  firstStep: { ids: number[][]; logits: number[][] };
  /** Per variant: largest |logit - fp32 logit| at those ids, and greedy positions that may differ. */
  tolerance: Partial<Record<Dtype, { logit: number; tokenMismatches: number }>>;
}

export type ModelProbe = RankerProbe | FuserProbe;

/** What a run of the probe produced. */
export type ProbeRun = { kind: 'ranker'; logits: ArrayLike<number> } | { kind: 'fuser'; greedy: number[][]; firstLogits: ArrayLike<number>[] };

/** The outcome of one self-check: a variant on a backend against its tolerance. */
export interface ProbeOutcome {
  dtype: Dtype;
  backend: Backend;
  passed: boolean;
  /** Largest |value - fp32 value| over the probe; Infinity when a value was NaN or infinite. */
  deviation: number;
  tolerance: number;
  /** Fuser: greedy positions that differ from fp32 (and how many may). */
  tokenMismatches?: { found: number; allowed: number };
  /** For people: "q8 on wasm: max |Δlogit| 0.031 ≤ 0.0804". */
  summary: string;
}

/** What info() says about a model's self-check. */
export interface SelfCheckInfo {
  status: 'passed' | 'not self-checked';
  /** Passed: the outcome's summary; not self-checked: why. */
  detail: string;
  /** Milliseconds the probe took (passed only). */
  ms?: number;
  deviation?: number;
  tolerance?: number;
}

const ROLE_OPTION: Record<ModelRole, string> = { ranker: 'options.ranker', fuser: 'options.fuser' };

/**
 * The manifest's probe for a model of `role`, null when it has none (the model loads
 * unchecked). A probe that is there but malformed, or of the other kind, is MODEL_INVALID:
 * a broken self-check must not pass for a missing one.
 */
export function readProbe(manifest: unknown, role: ModelRole, source: string): ModelProbe | null {
  const raw = (manifest as { probe?: unknown } | null)?.probe;
  if (raw === undefined) return null;
  const invalid = (what: string) => new BlenderError('MODEL_INVALID', `${source}/manifest.json: its probe ${what}`, ROLE_OPTION[role]);
  if (!isRecord(raw)) throw invalid('is not an object');
  if (raw['kind'] !== role) throw invalid(`is for a ${String(raw['kind'])}, not a ${role}`);
  const tolerance = raw['tolerance'];
  if (!isRecord(tolerance) || !Object.keys(tolerance).every((key) => (DTYPES as readonly string[]).includes(key))) {
    throw invalid(`has no tolerance per variant (${DTYPES.join(', ')})`);
  }
  if (role === 'ranker') {
    const rows = raw['rows'];
    const logits = raw['logits'];
    if (!isIdRows(rows) || !isNumbers(logits) || logits.length !== rows.length) throw invalid('needs rows (id lists) and one logit per row');
    const out: RankerProbe['tolerance'] = {};
    for (const [dtype, entry] of Object.entries(tolerance)) {
      const logit = isRecord(entry) ? entry['logit'] : undefined;
      if (!isTolerance(logit)) throw invalid(`tolerance.${dtype}.logit is not a number >= 0`);
      out[dtype as Dtype] = { logit };
    }
    return { kind: 'ranker', rows, logits, tolerance: out };
  }
  const prompts = raw['prompts'];
  const greedy = raw['greedy'];
  const maxNewTokens = raw['max_new_tokens'];
  const firstStep = raw['first_step'];
  const ids = isRecord(firstStep) ? firstStep['ids'] : undefined;
  const firstLogits = isRecord(firstStep) ? firstStep['logits'] : undefined;
  const parallel = (value: unknown[]) => isIdRows(prompts) && value.length === prompts.length;
  if (
    !isIdRows(prompts) ||
    !isIdRows(greedy) ||
    !parallel(greedy) ||
    !Number.isSafeInteger(maxNewTokens) ||
    (maxNewTokens as number) < 1 ||
    !isIdRows(ids) ||
    !parallel(ids) ||
    !Array.isArray(firstLogits) ||
    !firstLogits.every((row, i) => isNumbers(row) && row.length === ids[i]!.length) ||
    !parallel(firstLogits)
  ) {
    throw invalid('needs prompts, max_new_tokens, greedy ids and first_step {ids, logits}, one per prompt');
  }
  const out: FuserProbe['tolerance'] = {};
  for (const [dtype, entry] of Object.entries(tolerance)) {
    const logit = isRecord(entry) ? entry['logit'] : undefined;
    const mismatches = isRecord(entry) ? entry['token_mismatches'] : undefined;
    if (!isTolerance(logit) || !Number.isSafeInteger(mismatches) || (mismatches as number) < 0) {
      throw invalid(`tolerance.${dtype} needs logit >= 0 and token_mismatches >= 0`);
    }
    out[dtype as Dtype] = { logit, tokenMismatches: mismatches as number };
  }
  return { kind: 'fuser', prompts, maxNewTokens: maxNewTokens as number, greedy, firstStep: { ids, logits: firstLogits as number[][] }, tolerance: out };
}

/** Whether the probe says anything about a variant (a variant exported later has no tolerance). */
export function probeCovers(probe: ModelProbe, dtype: Dtype): boolean {
  return probe.tolerance[dtype] !== undefined;
}

/**
 * Compares a run of the probe on `backend` with the fp32 expectations and the variant's
 * tolerance. Any NaN or infinite output fails, whatever the tolerance.
 */
export function checkProbe(probe: ModelProbe, dtype: Dtype, backend: Backend, run: ProbeRun): ProbeOutcome {
  if (probe.kind === 'ranker') {
    const limit = probe.tolerance[dtype];
    if (!limit) throw new Error(`the probe has no tolerance for ${dtype}`);
    if (run.kind !== 'ranker') throw new Error('a fuser run checked against a ranker probe');
    const deviation = maxDeviation(probe.logits, run.logits);
    return outcome(dtype, backend, deviation, limit.logit, 'logit');
  }
  const limit = probe.tolerance[dtype];
  if (!limit) throw new Error(`the probe has no tolerance for ${dtype}`);
  if (run.kind !== 'fuser') throw new Error('a ranker run checked against a fuser probe');
  let deviation = 0;
  probe.firstStep.ids.forEach((ids, p) => {
    const got = run.firstLogits[p];
    // Every logit of the step must be finite, not only those compared.
    if (!got || !allFinite(got)) deviation = Infinity;
    else
      deviation = Math.max(
        deviation,
        maxDeviation(
          probe.firstStep.logits[p]!,
          ids.map((id) => got[id] ?? NaN),
        ),
      );
  });
  const found = tokenMismatches(probe.greedy, run.greedy);
  const result = outcome(dtype, backend, deviation, limit.logit, 'first-step logit');
  const tokensOk = found <= limit.tokenMismatches;
  return {
    ...result,
    passed: result.passed && tokensOk,
    tokenMismatches: { found, allowed: limit.tokenMismatches },
    summary: `${result.summary}; greedy ids differ at ${found} of ${probe.greedy.reduce((n, ids) => n + ids.length - 1, 0)} positions (${tokensOk ? '≤' : '>'} ${limit.tokenMismatches})`,
  };
}

/** The fp32 generated positions where `got` has another id or none (the start token is not counted). */
export function tokenMismatches(reference: readonly (readonly number[])[], got: readonly (readonly number[])[]): number {
  let count = 0;
  reference.forEach((ids, p) => {
    for (let i = 1; i < ids.length; i++) if (got[p]?.[i] !== ids[i]) count++;
  });
  return count;
}

/** max |got - want|; Infinity when a value is missing, NaN or infinite. */
export function maxDeviation(want: ArrayLike<number>, got: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const value = got[i]!;
    if (!Number.isFinite(value)) return Infinity;
    worst = Math.max(worst, Math.abs(value - want[i]!));
  }
  return worst;
}

/** The error for a failed self-check the caller's explicit device or dtype leaves no way around. */
export function numericsMismatch(role: ModelRole, source: string, failed: ProbeOutcome, why: string): BlenderError {
  return new BlenderError(
    'NUMERICS_MISMATCH',
    `the ${role} ${source} failed its self-check: ${failed.summary} (the tolerance measured at export). ${why}`,
    ROLE_OPTION[role],
  );
}

export function selfCheckPassed(outcome: ProbeOutcome, ms: number): SelfCheckInfo {
  return { status: 'passed', detail: outcome.summary, ms, deviation: outcome.deviation, tolerance: outcome.tolerance };
}

export function notSelfChecked(probe: ModelProbe | null, dtype: Dtype): SelfCheckInfo {
  return {
    status: 'not self-checked',
    detail: probe ? `its manifest.json's probe has no tolerance for ${dtype}` : 'its manifest.json has no probe',
  };
}

function outcome(dtype: Dtype, backend: Backend, deviation: number, tolerance: number, what: string): ProbeOutcome {
  const passed = deviation <= tolerance;
  const measured = Number.isFinite(deviation) ? `max |Δ${what}| ${formatNumber(deviation)}` : `NaN or Inf in the ${what}s`;
  return { dtype, backend, passed, deviation, tolerance, summary: `${dtype} on ${backend}: ${measured} ${passed ? '≤' : '>'} ${formatNumber(tolerance)}` };
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : String(value);
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item));
}

function isIdRows(value: unknown): value is number[][] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((row) => Array.isArray(row) && row.length > 0 && row.every((id) => Number.isSafeInteger(id) && (id as number) >= 0))
  );
}

function isTolerance(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

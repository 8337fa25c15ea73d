// MixInstruct's row fields (LLM-Blender's dataset): `id`, `instruction`, `input`, `output` (the
// reference answer), `candidates: [{model, decoding_method?, text, scores?}]` with metric scores
// per candidate, and on its test subset `cmp_results`, ChatGPT's pairwise judgements keyed
// "modelA,modelB". Read here into the extra fields of a ranking row; other formats lack them.

/** ChatGPT's verdict on a pair "A,B" in MixInstruct's `cmp_results`. */
export type CmpVerdict = 'A is better' | 'B is better' | 'Same good' | 'Same bad';

export const CMP_VERDICTS: readonly CmpVerdict[] = ['A is better', 'B is better', 'Same good', 'Same bad'];

/** One pairwise judgement of a row, by model name. */
export interface CmpJudgement {
  a: string;
  b: string;
  verdict: CmpVerdict;
}

/** What a MixInstruct row carries beyond instruction, input and candidate texts. */
export interface MixInstructFields {
  /** The row's `id` (numbers are kept as their decimal text). */
  id?: string;
  /** `output`: the reference answer the metric scores were computed against. */
  reference?: string;
  /** Per candidate, its metric scores (`{rouge1: 0.41, bleu: 0.12, ...}`); {} when it has none. */
  metrics?: Record<string, number>[];
  /** `cmp_results`, in the file's order. */
  judgements?: CmpJudgement[];
}

export interface FieldError {
  field: string;
  message: string;
}

export interface MixInstructCandidates {
  texts: string[];
  models: string[];
  metrics: Record<string, number>[];
  hasMetrics: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `[{model, text, scores?}, ...]`: texts, model names (else "candidate N") and metric scores. */
export function readCandidateObjects(list: readonly unknown[]): MixInstructCandidates | FieldError {
  const texts: string[] = [];
  const models: string[] = [];
  const metrics: Record<string, number>[] = [];
  let hasMetrics = false;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const at = `candidates[${i}]`;
    if (!isRecord(item)) return { field: at, message: 'must be an object {model, text} like the others' };
    if (typeof item.text !== 'string') return { field: `${at}.text`, message: item.text === undefined ? 'is missing' : 'must be a string' };
    const model = item.model ?? `candidate ${i + 1}`;
    if (typeof model !== 'string' || model === '') return { field: `${at}.model`, message: 'must be a non-empty string' };
    if (models.includes(model)) return { field: `${at}.model`, message: `repeats ${JSON.stringify(model)}; a row names each model once` };
    const scores: Record<string, number> = {};
    if (item.scores !== undefined && item.scores !== null) {
      if (!isRecord(item.scores)) return { field: `${at}.scores`, message: 'must be an object of metric name to number' };
      for (const [name, value] of Object.entries(item.scores)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) return { field: `${at}.scores.${name}`, message: 'must be a finite number' };
        scores[name] = value;
        hasMetrics = true;
      }
    }
    texts.push(item.text);
    models.push(model);
    metrics.push(scores);
  }
  return { texts, models, metrics, hasMetrics };
}

/** `cmp_results`: {"modelA,modelB": verdict}, both models among the row's. */
export function readCmpResults(value: unknown, models: readonly string[]): CmpJudgement[] | FieldError {
  if (!isRecord(value)) return { field: 'cmp_results', message: 'must be an object of "modelA,modelB" to a verdict' };
  const judgements: CmpJudgement[] = [];
  for (const [key, verdict] of Object.entries(value)) {
    const field = `cmp_results["${key}"]`;
    const names = key.split(',');
    if (names.length !== 2 || names.some((name) => !models.includes(name))) {
      return { field, message: `must name two of the row's models, "modelA,modelB" (models: ${models.join(', ')})` };
    }
    if (typeof verdict !== 'string' || !(CMP_VERDICTS as readonly string[]).includes(verdict)) {
      return { field, message: `must be one of ${CMP_VERDICTS.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    judgements.push({ a: names[0]!, b: names[1]!, verdict: verdict as CmpVerdict });
  }
  return judgements;
}

/** `id` as text: a string or a finite number. */
export function readId(value: unknown): string | FieldError {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return { field: 'id', message: 'must be a string or a number' };
}

export function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string' && Object.keys(value).length === 2;
}

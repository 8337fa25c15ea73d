import { BlenderError, isBlenderError, throwIfAborted } from './errors';
import type { PairRowBuilder, PairTexts } from './encode';
import { padRows } from './pad-rows';
import { rowKey, type PairCache } from './pair-cache';
import { yieldToHost } from './yield-to-host';
import { planBatches, type BatchLimits } from './schedule';
import type { ComputeProgress } from './types';

/**
 * The ranker model as the engine sees it: int64 [batch, seqLength] ids and mask (row-major)
 * -> float32 [batch] logits, logit > 0 meaning candidate 1 is better. src/runtime/common/ort-sessions.ts
 * implements it on onnxruntime (node or web); tests may fake it.
 */
export interface PairModel {
  run(inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLength: number): Promise<Float32Array>;
}

/** Counts passes across all the model runs of one call and reports them. */
export class CallProgress {
  private done = 0;

  constructor(
    readonly total: number,
    private readonly onProgress: ((progress: ComputeProgress) => void) | undefined,
  ) {}

  advance(passes: number): void {
    this.done += passes;
    this.emit({ stage: 'rank', done: this.done, total: this.total });
  }

  /** Repeats the current count with the ranking so far (adaptive, after each round). */
  reportRanking(ranking: number[][]): void {
    this.emit({ stage: 'rank', done: this.done, total: this.total, ranking });
  }

  private emit(progress: ComputeProgress): void {
    const result: unknown = this.onProgress?.(progress);
    // A callback proxied from another thread (Comlink) returns a promise; a failure to
    // deliver progress must not become an unhandled rejection or stop the computation.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  }
}

/** Running totals of a model, reported by info(). */
export interface PassStats {
  passes: number;
  computeMs: number;
}

export interface ScoreSettings extends BatchLimits {
  signal: AbortSignal | undefined;
  progress: CallProgress;
  stats: PassStats;
  /** The engine's exact pair cache: rows found there are not run again. */
  cache?: PairCache;
}

/**
 * Scores ordered pairs: groups rows of similar length into runs bounded by pair count and
 * token budget, pads each run to its own longest row, and returns the logits in the order
 * of `pairs`. Rows are built run by run (only their lengths are needed to plan), so a large
 * call never holds every row at once. The signal is checked before every run, so an abort
 * leaves no run half done and the engine usable. With a cache, each row is built once up
 * front for its key (a compact string, kept for the call; rows found are not planned or run,
 * their progress counts at once) and built again when its run comes: every row run is stored.
 */
export async function scorePairs(pairs: readonly PairTexts[], rows: PairRowBuilder, model: PairModel, settings: ScoreSettings): Promise<number[]> {
  throwIfAborted(settings.signal);
  const { distinct, slotOf } = distinctPairs(pairs);
  const distinctLogits = new Array<number>(distinct.length);
  // Progress counts the call's pairs; a repeated pair is done when its first copy is.
  const copies = new Array<number>(distinct.length).fill(0);
  for (const slot of slotOf) copies[slot]!++;
  const cache = settings.cache?.enabled ? settings.cache : undefined;
  const keys = cache ? distinct.map((pair) => rowKey(rows.pairRow(pair))) : [];
  const toRun: number[] = [];
  let cachedCopies = 0;
  distinct.forEach((_, index) => {
    const logit = cache?.get(keys[index]!);
    if (logit === undefined) {
      toRun.push(index);
    } else {
      distinctLogits[index] = logit;
      cachedCopies += copies[index]!;
    }
  });
  if (cachedCopies > 0) settings.progress.advance(cachedCopies);
  for (const batch of planBatches(
    toRun.map((index) => rows.pairLength(distinct[index]!)),
    settings,
  )) {
    await yieldToHost();
    throwIfAborted(settings.signal);
    const indices = batch.indices.map((k) => toRun[k]!);
    const batchRows = indices.map((i) => rows.pairRow(distinct[i]!));
    const { ids: inputIds, mask: attentionMask } = padRows(batchRows, rows.padId, batch.paddedLength);
    const started = performance.now();
    const output = await runModel(model, inputIds, attentionMask, indices.length, batch.paddedLength);
    settings.stats.computeMs += performance.now() - started;
    settings.stats.passes += indices.length;
    indices.forEach((pairIndex, k) => {
      distinctLogits[pairIndex] = output[k]!;
      cache?.set(keys[pairIndex]!, output[k]!);
    });
    settings.progress.advance(indices.reduce((sum, pairIndex) => sum + copies[pairIndex]!, 0));
  }
  return slotOf.map((slot) => distinctLogits[slot]!);
}

/**
 * Identical pairs (repeated candidates, a candidate compared with itself) are run once, so
 * they get bit-identical logits whatever run they would have landed in: identical
 * candidates then tie exactly, as they should.
 */
function distinctPairs(pairs: readonly PairTexts[]): { distinct: PairTexts[]; slotOf: number[] } {
  const textIds = new Map<string, number>();
  const textId = (text: string): number => {
    let id = textIds.get(text);
    if (id === undefined) {
      id = textIds.size;
      textIds.set(text, id);
    }
    return id;
  };
  const slotByKey = new Map<string, number>();
  const distinct: PairTexts[] = [];
  const slotOf = pairs.map((pair) => {
    const key = `${textId(pair.source)}|${textId(pair.cand1)}|${textId(pair.cand2)}`;
    let slot = slotByKey.get(key);
    if (slot === undefined) {
      slot = distinct.length;
      slotByKey.set(key, slot);
      distinct.push(pair);
    }
    return slot;
  });
  return { distinct, slotOf };
}

async function runModel(model: PairModel, inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, length: number): Promise<Float32Array> {
  let output: Float32Array;
  try {
    output = await model.run(inputIds, attentionMask, batch, length);
  } catch (error) {
    if (isBlenderError(error)) throw error;
    throw new BlenderError('INFERENCE_FAILED', `the ranker failed on a batch of ${batch} x ${length}: ${String(error)}`, undefined, {
      cause: error,
    });
  }
  if (output.length !== batch) {
    throw new BlenderError('INFERENCE_FAILED', `the ranker returned ${output.length} logits for ${batch} rows`);
  }
  return output;
}

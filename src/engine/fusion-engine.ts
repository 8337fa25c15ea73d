import type { SamplingConfig } from './beam-search';
import { CALL_OPTION_KEYS } from './call-options';
import { DEFAULT_TOKEN_BUDGET } from './defaults';
import { BlenderError, isBlenderError, throwIfAborted } from './errors';
import { buildFusePrompt, type FuserConfig, type FuseTokenizer } from './fuse-prompt';
import { FuseTextStream } from './fuse-stream';
import { mulberry32 } from './seeded-random';
import type { ComputeProgress, FuseOptions } from './types';
import {
  checkBooleanOption,
  checkCandidateLists,
  checkFunctionOption,
  checkInstructions,
  checkIntegerOption,
  checkOptions,
  checkSignalOption,
  checkStringList,
} from './validate';

/** What the engine needs from a loaded seq2seq model (src/runtime/common/fuser.ts provides it). */
export interface FuserGenerator {
  /**
   * One decoder sequence per encoder row (start token first). `onToken(row, token)` reports
   * each greedy step's chosen token as soon as it is known (not called for beam search).
   * An aborted signal rejects (with any error) between decoder steps.
   */
  generate(
    rows: readonly (readonly number[])[],
    options: {
      maxNewTokens: number;
      numBeams: number;
      signal: AbortSignal | undefined;
      onToken?: (row: number, token: number) => void;
      /** Sample instead of argmax (numBeams 1), one random source per row. */
      sampling?: SamplingConfig;
    },
  ): Promise<number[][]>;
}

export const FUSE_OPTION_KEYS = [...CALL_OPTION_KEYS, 'instructions', 'maxNewTokens', 'numBeams', 'onToken', 'doSample', 'temperature', 'topP', 'seed'];

/** Reference defaults (docs/reference.md §3 and §5). */
export const FUSE_DEFAULTS = { maxNewTokens: 128, numBeams: 4, batchSize: 4, tokenBudget: DEFAULT_TOKEN_BUDGET } as const;

/** Checked fuse options with defaults filled in. */
export interface FuseRun {
  maxNewTokens: number;
  numBeams: number;
  batchSize: number;
  tokenBudget: number;
  signal: AbortSignal | undefined;
  onProgress: ((progress: ComputeProgress) => void) | undefined;
  onToken: ((inputIndex: number, text: string) => void) | undefined;
  sampling: { temperature: number; topP: number; seed: number } | undefined;
}

/** Validates fuse's own options (rankAndFuse passes its extra keys in `extraKeys`). */
export function readFuseRun<T extends FuseOptions = FuseOptions>(options: unknown, extraKeys: readonly string[] = []): { run: FuseRun; opts: T } {
  const opts = checkOptions<T>(options, [...FUSE_OPTION_KEYS, ...extraKeys]);
  const sampling = readSampling(opts);
  const numBeams = checkIntegerOption(opts.numBeams, 'numBeams', 1) ?? (sampling ? 1 : FUSE_DEFAULTS.numBeams);
  if (sampling && numBeams !== 1) {
    throw new BlenderError('INVALID_OPTION', 'options.doSample samples one sequence: it takes numBeams 1 (or no numBeams)', 'options.numBeams');
  }
  return {
    opts,
    run: {
      sampling,
      maxNewTokens: checkIntegerOption(opts.maxNewTokens, 'maxNewTokens', 1) ?? FUSE_DEFAULTS.maxNewTokens,
      numBeams,
      batchSize: checkIntegerOption(opts.batchSize, 'batchSize', 1) ?? FUSE_DEFAULTS.batchSize,
      tokenBudget: checkIntegerOption(opts.tokenBudget, 'tokenBudget', 1) ?? FUSE_DEFAULTS.tokenBudget,
      signal: checkSignalOption(opts.signal),
      onProgress: checkFunctionOption<(progress: ComputeProgress) => void>(opts.onProgress, 'onProgress'),
      onToken: checkFunctionOption<(inputIndex: number, text: string) => void>(opts.onToken, 'onToken'),
    },
  };
}

/** doSample's settings; temperature, topP and seed without doSample are mistakes, not no-ops. */
function readSampling(opts: FuseOptions): FuseRun['sampling'] {
  const doSample = checkBooleanOption(opts.doSample, 'doSample') ?? false;
  if (!doSample) {
    for (const key of ['temperature', 'topP', 'seed'] as const) {
      if (opts[key] !== undefined) {
        throw new BlenderError('INVALID_OPTION', `options.${key} applies only with doSample: true`, `options.${key}`);
      }
    }
    return undefined;
  }
  const temperature = opts.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new BlenderError('INVALID_OPTION', `options.temperature must be a finite number > 0 (got ${String(temperature)})`, 'options.temperature');
  }
  const topP = opts.topP ?? 1;
  if (typeof topP !== 'number' || !(topP > 0 && topP <= 1)) {
    throw new BlenderError('INVALID_OPTION', `options.topP must be a number in (0, 1] (got ${String(topP)})`, 'options.topP');
  }
  return { temperature, topP, seed: checkIntegerOption(opts.seed, 'seed', 0) ?? 0 };
}

/**
 * GenFuser fusion: prompts (src/engine/fuse-prompt.ts), batched generation, streamed text.
 * Pure logic over an injected generator and tokenizer, like the ranking engine.
 */
export class FusionEngine {
  readonly stats = { generations: 0, computeMs: 0 };

  constructor(
    private readonly generator: FuserGenerator,
    private readonly tokenizer: FuseTokenizer,
    readonly config: FuserConfig,
  ) {}

  async fuse(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: FuseOptions): Promise<string[]> {
    const { run, opts } = readFuseRun(options);
    checkStringList(inputs, 'inputs');
    checkCandidateLists(candidates, 'candidates', inputs.length);
    checkInstructions(opts.instructions, inputs.length);
    return this.fuseChecked(inputs, candidates, opts.instructions ?? null, run);
  }

  /** fuse after its arguments were checked (rankAndFuse checks them itself). */
  async fuseChecked(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    instructions: readonly string[] | null,
    run: FuseRun,
  ): Promise<string[]> {
    throwIfAborted(run.signal);
    const prompts = inputs.map((input, i) => buildFusePrompt(this.tokenizer, this.config, instructions?.[i] ?? '', input, candidates[i]!).ids);
    const fused: string[] = [];
    for (const batch of batches(prompts, run.batchSize, run.tokenBudget)) {
      const streams = batch.map((input) => new FuseTextStream(this.tokenizer, this.config.eosTokenId, (text) => run.onToken?.(input, text)));
      const started = performance.now();
      let sequences: number[][];
      try {
        sequences = await this.generator.generate(
          batch.map((i) => prompts[i]!),
          {
            maxNewTokens: run.maxNewTokens,
            numBeams: run.numBeams,
            signal: run.signal,
            ...(run.onToken && run.numBeams === 1 ? { onToken: (row: number, token: number) => streams[row]?.push(token) } : {}),
            ...(run.sampling ? { sampling: samplingFor(run.sampling, batch) } : {}),
          },
        );
      } catch (error) {
        throwIfAborted(run.signal);
        throw isBlenderError(error)
          ? error
          : new BlenderError('INFERENCE_FAILED', `fuser generation failed: ${error instanceof Error ? error.message : String(error)}`, undefined, {
              cause: error,
            });
      } finally {
        this.stats.computeMs += performance.now() - started;
      }
      this.stats.generations += batch.length;
      sequences.forEach((ids, row) => {
        const text = this.tokenizer.decode(ids, true);
        fused.push(text);
        streams[row]!.finish(text);
      });
      run.onProgress?.({ stage: 'fuse', done: fused.length, total: inputs.length });
    }
    return fused;
  }
}

/**
 * One random source per input, derived from the seed and the input's index, so an input's
 * sample is the same whatever batch it lands in.
 */
function samplingFor(sampling: NonNullable<FuseRun['sampling']>, inputs: readonly number[]): SamplingConfig {
  return {
    temperature: sampling.temperature,
    topP: sampling.topP,
    randoms: inputs.map((input) => mulberry32((sampling.seed + Math.imul(input + 1, 0x9e3779b9)) >>> 0)),
  };
}

/** Consecutive inputs, at most `batchSize` per run and rows x longest row within `tokenBudget`. */
function batches(prompts: readonly (readonly number[])[], batchSize: number, tokenBudget: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  prompts.forEach((ids, i) => {
    const width = Math.max(longest, ids.length);
    if (current.length > 0 && (current.length >= batchSize || (current.length + 1) * width > tokenBudget)) {
      out.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, ids.length);
  });
  if (current.length > 0) out.push(current);
  return out;
}

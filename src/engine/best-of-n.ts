import { topK } from './aggregate';
import { CALL_OPTION_KEYS } from './call-options';
import { BlenderError, throwIfAborted } from './errors';
import type { BestOfNGenerate, BestOfNOptions, BestOfNResult, Ranker, RankStrategy } from './types';
import { checkEnumOption, checkFunctionOption, checkInstructions, checkIntegerOption, checkOptions, checkStringList } from './validate';

/** Reference default of best_of_n's n. */
export const DEFAULT_BEST_OF_N = 5;
const KEYS = [...CALL_OPTION_KEYS, 'instructions', 'generate', 'n', 'strategy', 'seed'];
const STRATEGIES: readonly RankStrategy[] = ['bubble', 'full', 'tournament', 'sort', 'adaptive'];

/**
 * best_of_n (docs/reference.md §4): the caller's `generate` makes n candidates per prompt from
 * instruction + "\n" + input (the input alone when no instructions are given); PairRM picks the
 * best with the ranking source instruction + input (the ranker joins them, no separator).
 * `bubble` (default, seeded) finds only the best; `full` ranks all; the budget strategies
 * (tournament, sort, adaptive) run as `rank` runs them.
 */
export async function bestOfN(ranker: Ranker, prompts: readonly string[], options: BestOfNOptions): Promise<BestOfNResult> {
  if (options === undefined || options === null) {
    throw new BlenderError('INVALID_ARGUMENT', 'bestOfN needs options with a generate function', 'options');
  }
  const opts = checkOptions<BestOfNOptions>(options, KEYS);
  checkStringList(prompts, 'prompts');
  checkInstructions(opts.instructions, prompts.length);
  const generate = checkFunctionOption<BestOfNGenerate>(opts.generate, 'generate');
  if (!generate) throw new BlenderError('INVALID_OPTION', 'options.generate (prompt, n) => candidates is required', 'options.generate');
  const n = checkIntegerOption(opts.n, 'n', 1) ?? DEFAULT_BEST_OF_N;
  const strategy = checkEnumOption(opts.strategy, 'strategy', STRATEGIES) ?? 'bubble';
  const seed = checkIntegerOption(opts.seed, 'seed', 0);
  if (seed !== undefined && strategy !== 'bubble') {
    throw new BlenderError('INVALID_OPTION', 'options.seed applies to strategy "bubble" only', 'options.seed');
  }

  const candidates: string[][] = [];
  for (const [i, input] of prompts.entries()) {
    throwIfAborted(opts.signal);
    const instruction = opts.instructions?.[i];
    const generated: unknown = await generate(instruction === undefined ? input : `${instruction}\n${input}`, n);
    candidates.push(checkGenerated(generated, i, n));
  }
  const ranks = await ranker.rank(prompts, candidates, {
    instructions: opts.instructions ?? null,
    strategy,
    ...(strategy === 'bubble' ? { seed: seed ?? 0 } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.tokenBudget !== undefined ? { tokenBudget: opts.tokenBudget } : {}),
  });
  const ranked = topK(ranks, candidates, n);
  return { best: ranked.map((list) => list[0]!), ranked, ranks, candidates };
}

function checkGenerated(value: unknown, index: number, n: number): string[] {
  const name = `generate(prompts[${index}])`;
  if (!Array.isArray(value) || value.length !== n || value.some((item) => typeof item !== 'string')) {
    throw new BlenderError('INVALID_ARGUMENT', `${name} must return ${n} strings (options.n)`, 'options.generate');
  }
  return [...(value as string[])];
}

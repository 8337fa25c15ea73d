import { DEFAULT_BATCH_SIZE, DEFAULT_TOKEN_BUDGET } from './defaults';
import type { CallOptions, ComputeProgress } from './types';
import { checkFunctionOption, checkIntegerOption, checkSignalOption } from './validate';

/** Option keys every compute call accepts. */
export const CALL_OPTION_KEYS = ['signal', 'onProgress', 'batchSize', 'tokenBudget'] as const;

export interface RunOptions {
  batchSize: number;
  tokenBudget: number;
  signal: AbortSignal | undefined;
  onProgress: ((progress: ComputeProgress) => void) | undefined;
}

export interface RunDefaults {
  batchSize: number;
  tokenBudget: number;
}

export const ENGINE_DEFAULTS: RunDefaults = { batchSize: DEFAULT_BATCH_SIZE, tokenBudget: DEFAULT_TOKEN_BUDGET };

/** Validates and fills the options shared by all compute calls. */
export function readRunOptions(options: CallOptions, defaults: RunDefaults): RunOptions {
  return {
    batchSize: checkIntegerOption(options.batchSize, 'batchSize', 1) ?? defaults.batchSize,
    tokenBudget: checkIntegerOption(options.tokenBudget, 'tokenBudget', 1) ?? defaults.tokenBudget,
    signal: checkSignalOption(options.signal),
    onProgress: checkFunctionOption<(progress: ComputeProgress) => void>(options.onProgress, 'onProgress'),
  };
}

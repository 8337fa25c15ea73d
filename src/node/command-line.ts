// Reading a command's flags (eval, the fleet's producer and worker): a bad flag or value is a
// UsageError, which the command reports with its usage text and exit code 2.
import { isDtypeOption, type DtypeOption } from '../runtime/common/dtypes';
import type { NodeBlenderOptions, NodeDevice } from './node-blender-options';

export class UsageError extends Error {}

/** The word after `flag` (`next`), which must be there. */
export function flagValue(flag: string, next: string | undefined): string {
  if (next === undefined) throw new UsageError(`${flag} needs a value`);
  return next;
}

export function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a positive integer`);
  return n;
}

export function oneOf<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not ${JSON.stringify(text)}`);
  return text as T;
}

export function dtypeOf(text: string): DtypeOption {
  if (!isDtypeOption(text)) throw new UsageError(`--dtype must be fp32, fp16, q8, q4 or auto, not ${JSON.stringify(text)}`);
  return text;
}

export interface ModelFlags {
  ranker: string;
  dtype: DtypeOption | undefined;
  device: NodeDevice | undefined;
  threads: number | undefined;
  batchSize: number | undefined;
}

/** --ranker, --dtype, --device, --threads and --batch-size (eval's and the worker's) as createBlender's options. */
export function rankerOptions(flags: ModelFlags): NodeBlenderOptions {
  return {
    ranker: flags.ranker,
    dtype: flags.dtype,
    ...(flags.device !== undefined ? { device: flags.device } : {}),
    threads: flags.threads,
    batchSize: flags.batchSize,
  };
}

/**
 * `--help` or `-h`: prints `usage`, returns exit code 0. Otherwise returns `parse()`'s args; a
 * UsageError from it is printed with `usage` and gives exit code 2.
 */
export function parseCommandLine<T extends object>(argv: readonly string[], usage: string, io: { error(text: string): void }, parse: () => T): T | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.error(`${usage}\n`);
    return 0;
  }
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(`${error.message}\n${usage}\n`);
    return 2;
  }
}

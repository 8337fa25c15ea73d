import { BlenderError } from './errors';

/**
 * Argument checks shared by every method. Each failure is a BlenderError naming the
 * offending argument as a path (`candidates[1][0]`, `options.mode`).
 */

export function checkStringList(value: unknown, name: string): asserts value is readonly string[] {
  if (!Array.isArray(value)) {
    throw new BlenderError('INVALID_ARGUMENT', `${name} must be an array of strings (got ${describe(value)})`, name);
  }
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string') {
      throw new BlenderError('INVALID_ARGUMENT', `${name}[${index}] must be a string (got ${describe(item)})`, `${name}[${index}]`);
    }
  });
}

/** A list parallel to `inputs`: same length. */
export function checkParallelStringList(value: unknown, name: string, length: number): asserts value is readonly string[] {
  checkStringList(value, name);
  checkSameLength(value, name, length);
}

/** One candidate list per input, each with at least one string (ragged lists are allowed). */
export function checkCandidateLists(value: unknown, name: string, length: number): asserts value is readonly (readonly string[])[] {
  if (!Array.isArray(value)) {
    throw new BlenderError('INVALID_ARGUMENT', `${name} must be an array of string arrays (got ${describe(value)})`, name);
  }
  checkSameLength(value, name, length);
  value.forEach((list: unknown, index) => {
    checkStringList(list, `${name}[${index}]`);
    if (list.length === 0) {
      throw new BlenderError('EMPTY_CANDIDATES', `${name}[${index}] is empty: every input needs a candidate`, `${name}[${index}]`);
    }
  });
}

/** Optional per-input instructions: absent/null, or a string list as long as `inputs`. */
export function checkInstructions(value: unknown, length: number): asserts value is readonly string[] | null | undefined {
  if (value === undefined || value === null) return;
  checkParallelStringList(value, 'options.instructions', length);
}

function checkSameLength(value: readonly unknown[], name: string, length: number): void {
  if (value.length !== length) {
    throw new BlenderError('LENGTH_MISMATCH', `${name} has ${value.length} items but inputs has ${length}: they must be parallel`, name);
  }
}

/**
 * An options object: absent, or a plain object with only known keys (a typo like
 * `retrunScores` would otherwise be silently ignored). Keys whose value is undefined count
 * as absent.
 */
export function checkOptions<T extends object>(value: unknown, known: readonly string[]): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BlenderError('INVALID_ARGUMENT', `options must be an object (got ${describe(value)})`, 'options');
  }
  for (const [key, option] of Object.entries(value)) {
    if (option !== undefined && !known.includes(key)) {
      throw new BlenderError('UNKNOWN_OPTION', `unknown option "${key}"; this method accepts: ${known.join(', ')}`, `options.${key}`);
    }
  }
  return value as T;
}

export function checkEnumOption<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BlenderError(
      'INVALID_OPTION',
      `options.${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${describe(value)})`,
      `options.${name}`,
    );
  }
  return value as T;
}

export function checkBooleanOption(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a boolean (got ${describe(value)})`, `options.${name}`);
  }
  return value;
}

export function checkIntegerOption(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be an integer >= ${min} (got ${describe(value)})`, `options.${name}`);
  }
  return value;
}

export function checkFunctionOption<F>(value: unknown, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new BlenderError('INVALID_OPTION', `options.${name} must be a function (got ${describe(value)})`, `options.${name}`);
  }
  return value as F;
}

/** Duck-typed: AbortSignal from another realm (a worker, jsdom) is still an AbortSignal. */
export function checkSignalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new BlenderError('INVALID_OPTION', `options.signal must be an AbortSignal (got ${describe(value)})`, 'options.signal');
  }
  return value as AbortSignal;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

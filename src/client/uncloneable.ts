/**
 * Names the argument that cannot cross to the worker. postMessage refuses functions,
 * symbols, DOM nodes and the like with a DataCloneError that says what, not where; the
 * caller should learn `candidates[0][1]`, as the engine would name a wrong type.
 */
import { BlenderError, isBlenderError } from '../engine/errors';
import type { EngineMethod } from './protocol';

const ARGUMENT_NAMES: Readonly<Record<EngineMethod, readonly string[]>> = {
  rank: ['inputs', 'candidates'],
  compare: ['inputs', 'candidatesA', 'candidatesB'],
  compareConversations: ['conversationsA', 'conversationsB'],
  rankWithRef: ['inputs', 'candidates'],
  fuse: ['inputs', 'candidates'],
  rankAndFuse: ['inputs', 'candidates'],
};

/** `error` with the path of the first value that cannot be cloned, when it is a clone failure. */
export function nameUncloneable(error: unknown, method: EngineMethod, args: readonly unknown[], options: unknown): unknown {
  const cloneFailure =
    (isBlenderError(error) && error.code === 'INVALID_ARGUMENT' && error.argument === 'arguments') ||
    (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'DataCloneError');
  if (!cloneFailure) return error;
  const names = ARGUMENT_NAMES[method];
  const path =
    args.map((value, i) => findUncloneable(value, names[i] ?? `arguments[${i}]`)).find((found) => found !== undefined) ?? findUncloneable(options, 'options');
  if (path === undefined) return error;
  return new BlenderError('INVALID_ARGUMENT', `${path} cannot be sent to the worker: arguments must be plain data`, path, {
    cause: error,
  });
}

function findUncloneable(value: unknown, path: string): string | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return path;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUncloneable(item, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, item] of Object.entries(value)) {
      const found = findUncloneable(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  try {
    structuredClone(value);
    return undefined;
  } catch {
    return path;
  }
}

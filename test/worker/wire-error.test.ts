// The worker's errors on the wire: the engine's keep their code, anything else gets the code
// of what the failing method was doing.
import { describe, expect, it } from 'vitest';
import { BlenderError } from '../../src/engine/errors';
import { toWireError, type WireMethod } from '../../workers/wire-error';

describe('toWireError', () => {
  it.each<[WireMethod, string]>([
    ['init', 'MODEL_LOAD_FAILED'],
    ['call', 'INFERENCE_FAILED'],
    ['info', 'BACKEND_UNAVAILABLE'],
    ['cacheList', 'STORAGE_UNAVAILABLE'],
    ['cacheUsage', 'STORAGE_UNAVAILABLE'],
    ['cacheDelete', 'STORAGE_UNAVAILABLE'],
    ['cacheClear', 'STORAGE_UNAVAILABLE'],
  ])('an unexpected error in %s is %s, its message kept', (method, code) => {
    const wire = toWireError(new TypeError('x is not a function'), method);
    expect(wire.code).toBe(code);
    expect(wire.argument).toBeUndefined();
    expect(wire.message).toMatch(/^unexpected failure in the worker while [a-z ]+: x is not a function$/);
  });

  it('a thrown non-error is described by its string', () => {
    const wire = toWireError('quota', 'cacheClear');
    expect(wire.code).toBe('STORAGE_UNAVAILABLE');
    expect(wire.message).toMatch(/: quota$/);
  });

  it.each<WireMethod>(['init', 'call', 'info', 'cacheDelete'])('a BlenderError keeps its code, message and argument in %s', (method) => {
    const error = new BlenderError('MODEL_INVALID', 'no config.json', 'fuser');
    expect(toWireError(error, method)).toEqual({ code: 'MODEL_INVALID', message: 'no config.json', argument: 'fuser' });
  });

  it('an error rebuilt from a structured clone (no prototype) still counts as a BlenderError', () => {
    const cloned = structuredClone({ name: 'BlenderError', code: 'DOWNLOAD_FAILED', message: 'HTTP 404', argument: 'ranker' });
    expect(toWireError(cloned, 'init')).toEqual({ code: 'DOWNLOAD_FAILED', message: 'HTTP 404', argument: 'ranker' });
  });
});

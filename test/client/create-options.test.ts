// createBlender's options in pages, checked in the page before any worker starts.
import { describe, expect, it } from 'vitest';
import { readCreateOptions, type BrowserBlenderOptions } from '../../src/client/create-options';
import { isBlenderError } from '../../src/engine/errors';
import { DEFAULT_PAIR_CACHE_SIZE } from '../../src/engine/pair-cache';

describe('readCreateOptions: pairCache', () => {
  it('defaults to DEFAULT_PAIR_CACHE_SIZE and passes 0 and other sizes on', () => {
    expect(readCreateOptions({ ranker: null }).pairCache).toBe(DEFAULT_PAIR_CACHE_SIZE);
    expect(readCreateOptions({ ranker: null, pairCache: 0 }).pairCache).toBe(0);
    expect(readCreateOptions({ ranker: null, pairCache: 12 }).pairCache).toBe(12);
  });

  it.each([-1, 2.5, '5', null])('rejects %s with INVALID_OPTION naming options.pairCache', (pairCache) => {
    let error: unknown;
    try {
      readCreateOptions({ ranker: null, pairCache } as unknown as BrowserBlenderOptions);
    } catch (caught) {
      error = caught;
    }
    expect(isBlenderError(error) && [error.code, error.argument]).toEqual(['INVALID_OPTION', 'options.pairCache']);
  });
});

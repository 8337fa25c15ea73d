import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, MAX_WASM_THREADS } from '../../src/runtime/web/wasm-threads';

describe('chooseWasmThreads', () => {
  it('runs 1 thread and says why when the page is not cross-origin isolated', () => {
    const choice = chooseWasmThreads({ crossOriginIsolated: false, hardwareConcurrency: 8 });
    expect(choice.threads).toBe(1);
    expect(choice.reason).toMatch(/cross-origin isolated/);
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [16, MAX_WASM_THREADS],
  ])('uses min(cores, cap) threads when isolated: %i cores -> %i', (cores, threads) => {
    expect(chooseWasmThreads({ crossOriginIsolated: true, hardwareConcurrency: cores }).threads).toBe(threads);
  });

  it('survives a browser that hides its core count', () => {
    expect(chooseWasmThreads({ crossOriginIsolated: true, hardwareConcurrency: 0 }).threads).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { BrowserBlender, BrowserBlenderOptions, BrowserInfo } from '../../src/client/index';
import { BlenderSession, type ModelConfig } from '../../src/demo/blender-session';

/** A fake createBlender: a folder named "bad" fails; every blender records its disposal. */
function fakeCreate(log: string[]) {
  return async (options: BrowserBlenderOptions = {}): Promise<BrowserBlender> => {
    log.push(`create ${options.ranker}${options.signal ? ' (cancellable)' : ''}`);
    if (options.ranker === 'bad') throw new Error('no manifest.json');
    if (options.signal?.aborted) throw new Error('aborted');
    return {
      info: async () => ({ backend: 'wasm' }) as BrowserInfo,
      dispose: async () => void log.push(`dispose ${options.ranker}`),
    } as BrowserBlender;
  };
}

const config = (ranker: string): ModelConfig => ({ ranker, fuser: null, device: 'auto', dtype: 'auto' });

describe('BlenderSession', () => {
  it('replaces the blender: the old one goes first', async () => {
    const log: string[] = [];
    const session = new BlenderSession(fakeCreate(log));
    expect((await session.load(config('a'), () => {})).ok).toBe(true);
    expect((await session.load(config('b'), () => {})).ok).toBe(true);
    expect(log).toEqual(['create a', 'dispose a', 'create b']);
    expect(session.config?.ranker).toBe('b');
  });

  it('a failed load brings back the last working configuration', async () => {
    const log: string[] = [];
    const session = new BlenderSession(fakeCreate(log));
    await session.load(config('a'), () => {});
    const outcome = await session.load(config('bad'), () => {});
    expect(outcome).toMatchObject({ ok: false, error: new Error('no manifest.json'), restored: { config: config('a') } });
    expect(log).toEqual(['create a', 'dispose a', 'create bad', 'create a']);
    expect(session.config?.ranker).toBe('a');
    expect(session.blender).not.toBeNull();
  });

  it('a failed first load leaves no blender', async () => {
    const session = new BlenderSession(fakeCreate([]));
    expect(await session.load(config('bad'), () => {})).toMatchObject({ ok: false, restored: null });
    expect(session.blender).toBeNull();
    expect(session.config).toBeNull();
  });

  it('a cancelled load reaches createBlender as its signal, and the previous models come back', async () => {
    const log: string[] = [];
    const session = new BlenderSession(fakeCreate(log));
    await session.load(config('a'), () => {});
    const controller = new AbortController();
    controller.abort();
    const outcome = await session.load(config('b'), () => {}, controller.signal);
    expect(outcome).toMatchObject({ ok: false, error: new Error('aborted'), restored: { config: config('a') } });
    expect(log).toEqual(['create a', 'dispose a', 'create b (cancellable)', 'create a']);
    expect(session.config?.ranker).toBe('a');
  });
});

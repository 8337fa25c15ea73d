// Stopping the Node entry at every stage: loading (createBlender's signal), ranking and
// generation (a call's signal), and dispose() while calls run. Each leaves a clear error and
// a usable entry. test/node/properties.test.ts and test/fuse/fuse-node.test.ts abort single
// calls; this aborts loads and disposes mid-call.
import { describe, expect, it } from 'vitest';
import { createBlender } from '../../src/node';

const TINY = { ranker: 'public/models/tiny-pairrm', fuser: 'public/models/tiny-fuser', threads: 1 };
const CANDIDATES = Array.from({ length: 40 }, (_, i) => `candidate number ${i}`);

const codeOf = (work: Promise<unknown>) =>
  work.then(
    () => 'finished',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );

describe('cancellation and dispose in Node', () => {
  it('a load aborted while it runs rejects with ABORTED; the next load works', async () => {
    const controller = new AbortController();
    const loading = createBlender({ ...TINY, signal: controller.signal });
    controller.abort();
    expect(await codeOf(loading)).toBe('ABORTED');
    const blender = await createBlender(TINY);
    expect((await blender.rank(['q'], [['yes', 'no']]))[0]!.slice().sort()).toEqual([1, 2]);
    await blender.dispose();
  });

  it('dispose() during a rank and a fuse rejects both with DISPOSED, not a runtime error', async () => {
    const blender = await createBlender(TINY);
    let ranking!: () => void;
    const rankStarted = new Promise<void>((resolve) => (ranking = resolve));
    const rank = codeOf(blender.rank(['q'], [CANDIDATES], { batchSize: 1, onProgress: () => ranking() }));
    const fuse = codeOf(blender.fuse(['q'], [['a', 'b']], { maxNewTokens: 64, numBeams: 4 }));
    await rankStarted;
    await blender.dispose();
    expect(await rank).toBe('DISPOSED');
    expect(['DISPOSED', 'finished']).toContain(await fuse);
    expect(await codeOf(blender.rank(['q'], [['a']]))).toBe('DISPOSED');
  });
});

// The shared misuse table (misuse-cases.ts) on the Node entry: every call rejects (or, for
// topK, throws) a BlenderError with the expected code and argument, none hangs, and the
// blender still works afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, topK, type NodeBlender } from '../../src/node';
import { casesFor, expectedFor, runCase, type LooseBlender, type MisuseContext } from './misuse-cases';

const TINY = { ranker: 'public/models/tiny-pairrm', fuser: 'public/models/tiny-fuser', threads: 1 };
const loose = (blender: NodeBlender) => blender as unknown as LooseBlender;

let blender: NodeBlender;
let context: MisuseContext;
beforeAll(async () => {
  blender = await createBlender(TINY);
  const disposed = await createBlender({});
  await disposed.dispose();
  context = {
    blender: loose(blender),
    empty: loose(await createBlender({})),
    disposed: loose(disposed),
    createBlender: createBlender as unknown as MisuseContext['createBlender'],
    topK: topK as unknown as MisuseContext['topK'],
  };
});
afterAll(() => blender.dispose());

const cases = casesFor('node');

describe('API misuse in Node', () => {
  it('tries at least 30 malformed calls across every method', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const methods = new Set(cases.map((c) => c.name.split(/[:( ]/)[0]));
    for (const method of ['rank', 'compare', 'compareConversations', 'rankWithRef', 'fuse', 'rankAndFuse', 'bestOfN', 'createBlender', 'topK']) {
      expect(methods, method).toContain(method);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const outcome = await runCase(testCase, context, 5_000);
    expect(outcome).toMatchObject({ kind: 'blender-error', ...expectedFor(testCase, 'node') });
    expect(outcome.message!.length).toBeGreaterThan(10);
  });

  it('after the whole table, the same blender ranks and fuses', async () => {
    expect((await blender.rank(['q'], [['yes', 'no']]))[0]!.slice().sort()).toEqual([1, 2]);
    expect(await blender.fuse(['q'], [['yes', 'no']], { maxNewTokens: 2, numBeams: 1 })).toHaveLength(1);
  });
});

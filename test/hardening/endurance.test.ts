// Long runs on the Node entry (tiny ranker, short inputs): 1000 sequential rank calls keep
// memory flat and do not slow down; every tensor a run creates is disposed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender, type NodeBlender } from '../../src/node';
import { createRankerSession, type OrtModuleLike, type OrtTensorLike } from '../../src/runtime/common/ort-sessions';

// A full collection before each reading, so garbage not yet collected is not counted as growth.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let blender: NodeBlender;
beforeAll(async () => {
  // No pair cache: every call must run the model (what could leak or slow down); the warm-up's
  // pairs would otherwise make the first measured calls cache hits.
  blender = await createBlender({ ranker: 'public/models/tiny-pairrm', threads: 1, pairCache: 0 });
});
afterAll(() => blender.dispose());

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function memory() {
  gc();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

describe('endurance', () => {
  it('1000 sequential rank calls: no memory growth, no slowdown', async () => {
    const call = (k: number) => blender.rank([`question ${k % 7}`], [[`answer ${k}`, 'another answer', `third ${k % 3}`]]);
    for (let k = 0; k < 100; k++) await call(k); // warm-up: allocator pools, JIT, ORT arenas
    const before = memory();
    const times: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const started = performance.now();
      const ranks = await call(k);
      times.push(performance.now() - started);
      expect(ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
    }
    const after = memory();
    const growthMb = Object.fromEntries(Object.entries(after).map(([key, value]) => [key, (value - before[key as keyof typeof before]) / 2 ** 20]));
    const slowdown = median(times.slice(-100)) / median(times.slice(0, 100));
    console.info(
      `1000 rank calls: median first 100 ${median(times.slice(0, 100)).toFixed(2)} ms, last 100 ${median(times.slice(-100)).toFixed(2)} ms; growth (MiB) ${JSON.stringify(growthMb, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`,
    );
    // Generous bounds: a leak of one tensor per call (6 pairs x ~100 int64 ids) would add
    // ~5 MiB of array buffers over 1000 calls and show as steady RSS growth.
    expect(growthMb['heapUsed']).toBeLessThan(8);
    expect(growthMb['arrayBuffers']).toBeLessThan(4);
    expect(growthMb['rss']).toBeLessThan(64);
    expect(slowdown).toBeLessThan(2);
  }, 120_000);
});

describe('tensors are released', () => {
  it('every input and output tensor of every run is disposed, the logits survive it', async () => {
    const live = new Set<FakeTensor>();
    class FakeTensor implements OrtTensorLike {
      private disposed = false;
      constructor(
        readonly type: string,
        private readonly payload: unknown,
        readonly dims: readonly number[],
      ) {
        live.add(this);
      }
      get data(): unknown {
        if (this.disposed) throw new Error('read after dispose');
        return this.payload;
      }
      dispose() {
        this.disposed = true;
        live.delete(this);
      }
    }
    const ort: OrtModuleLike = {
      Tensor: FakeTensor,
      InferenceSession: {
        create: async () => ({
          inputNames: ['input_ids', 'attention_mask'],
          outputNames: ['logits'],
          run: async (feeds) => {
            const batch = feeds['input_ids']!.dims[0]!;
            return {
              logits: new FakeTensor(
                'float32',
                Float32Array.from({ length: batch }, (_, i) => i + 0.5),
                [batch],
              ),
            };
          },
          release: async () => undefined,
        }),
      },
    };
    const session = await createRankerSession(ort, new Uint8Array(), {}, 'fake');
    for (let k = 0; k < 50; k++) {
      const logits = await session.run(new BigInt64Array(6), new BigInt64Array(6), 2, 3);
      expect([...logits]).toEqual([0.5, 1.5]);
    }
    expect(live.size).toBe(0);
  });
});

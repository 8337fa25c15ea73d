import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { isBlenderError } from '../../src/engine/errors';
import { padRows } from '../../src/engine/pad-rows';
import { createRankerSession, rankerFile, type OrtModuleLike, type OrtTensorLike } from '../../src/runtime/common/ort-sessions';

// The oracle PairRM exported by the model tooling, with rows and logits from Hugging Face's
// own DeBERTa-v2 code (test/fixtures/oracle-pairrm, see test/fixtures/oracle-checkpoints/README.md).
const folder = 'test/fixtures/oracle-pairrm';
const oracle = JSON.parse(readFileSync(`${folder}/oracle-cases.json`, 'utf8')) as {
  cases: { name: string; input_ids: number[][]; rows: { length: number; logit: number }[] }[];
};

describe('createRankerSession on onnxruntime-node', () => {
  it('runs rows packed by the engine and returns the oracle logits (1e-4), in one padded batch', async () => {
    const session = await createRankerSession(ort, `${folder}/${rankerFile('fp32')}`, { executionProviders: ['cpu'] }, 'oracle');
    // Every oracle row, unpadded, then all of them as one batch padded to the longest.
    const rows = oracle.cases.flatMap((c) => c.rows.map((row, r) => ({ ids: c.input_ids[r]!.slice(0, row.length), logit: row.logit })));
    const { ids, mask, width } = padRows(
      rows.map((r) => r.ids),
      0,
    );
    const logits = await session.run(ids, mask, rows.length, width);
    expect(logits).toHaveLength(rows.length);
    rows.forEach((row, k) => expect(Math.abs(logits[k]! - row.logit)).toBeLessThan(1e-4));
    await session.release();
  });

  it('runs overlapping calls one at a time (onnxruntime-web refuses concurrent runs), each with its own result', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const fakeOrt: OrtModuleLike = {
      InferenceSession: {
        create: async () => ({
          inputNames: ['input_ids', 'attention_mask'],
          outputNames: ['logits'],
          async run(feeds: Record<string, OrtTensorLike>) {
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            await new Promise((resolve) => setTimeout(resolve, 5));
            inFlight--;
            const ids = feeds['input_ids']!.data as BigInt64Array;
            if (ids[0] === 13n) throw new Error('boom');
            return { logits: { data: Float32Array.from([Number(ids[0])]), dims: [1], type: 'float32' } };
          },
          release: async () => undefined,
        }),
      },
      Tensor: class {
        readonly type: string;
        constructor(
          type: 'int64',
          readonly data: BigInt64Array,
          readonly dims: readonly number[],
        ) {
          this.type = type;
        }
      },
    };
    const session = await createRankerSession(fakeOrt, new Uint8Array(1), {}, 'fake');
    const one = (id: number) => session.run(BigInt64Array.from([BigInt(id)]), BigInt64Array.from([1n]), 1, 1);
    const results = await Promise.allSettled([one(1), one(13), one(3), one(4)]);
    expect(maxInFlight).toBe(1);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value[0] : 'failed'))).toEqual([1, 'failed', 3, 4]);
  });

  it('rejects a graph that is not a ranker with MODEL_INVALID, bytes in', async () => {
    // A valid ONNX graph with other input and output names.
    const identity = buildIdentityModel();
    const error = await createRankerSession(ort, identity, {}, 'identity').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('MODEL_INVALID');
  });

  it('reports an unreadable model as MODEL_LOAD_FAILED', async () => {
    const error = await createRankerSession(ort, new Uint8Array([1, 2, 3]), {}, 'garbage').catch((e: unknown) => e);
    expect(isBlenderError(error) && error.code).toBe('MODEL_LOAD_FAILED');
  });
});

/** A hand-encoded ONNX ModelProto: y = Identity(x), float [1]; opset 13. */
function buildIdentityModel(): Uint8Array {
  const bytes: number[] = [];
  const varint = (n: number, out: number[]) => {
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
  };
  const field = (num: number, payload: number[]) => {
    const out: number[] = [];
    varint((num << 3) | 2, out);
    varint(payload.length, out);
    return [...out, ...payload];
  };
  const str = (num: number, s: string) => field(num, [...new TextEncoder().encode(s)]);
  const int = (num: number, v: number) => {
    const out: number[] = [];
    varint(num << 3, out);
    varint(v, out);
    return out;
  };
  // TypeProto { tensor_type { elem_type FLOAT, shape { dim { dim_value 1 } } } }
  const type = field(1, [...int(1, 1), ...field(2, field(1, int(1, 1)))]);
  const valueInfo = (name: string) => [...str(1, name), ...field(2, type)];
  const node = [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Identity')];
  const graph = [...field(1, node), ...str(2, 'g'), ...field(11, valueInfo('x')), ...field(12, valueInfo('y'))];
  bytes.push(...int(1, 7), ...field(7, graph), ...field(8, int(2, 13)));
  return new Uint8Array(bytes);
}

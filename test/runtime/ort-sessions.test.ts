// startOrtRuntime: its built-in graph is a real ONNX model (onnxruntime-node opens and runs
// it), and a runtime that cannot start never fails the load from there.
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { startOrtRuntime, type OrtModuleLike, type OrtSessionLike } from '../../src/runtime/common/ort-sessions';

describe('startOrtRuntime', () => {
  it('opens a session on its few-byte graph with the given provider, and releases it', async () => {
    const opened: { bytes: number; providers: readonly string[] | undefined; output: unknown; released: boolean }[] = [];
    const ort = {
      Tensor: ortNode.Tensor,
      InferenceSession: {
        async create(model: Uint8Array, options?: { executionProviders?: readonly string[] }): Promise<OrtSessionLike> {
          const session = await ortNode.InferenceSession.create(model, { executionProviders: ['cpu'] });
          const record = { bytes: model.byteLength, providers: options?.executionProviders, output: null as unknown, released: false };
          const input = new ortNode.Tensor('float32', new Float32Array([2.5]), [1]);
          record.output = Array.from((await session.run({ [session.inputNames[0]!]: input }))[session.outputNames[0]!]!.data as Float32Array);
          opened.push(record);
          return {
            inputNames: session.inputNames,
            outputNames: session.outputNames,
            run: () => Promise.reject(new Error('unused')),
            release: async () => void (record.released = true),
          };
        },
      },
    } as unknown as OrtModuleLike;
    await startOrtRuntime(ort, 'wasm');
    expect(opened).toEqual([{ bytes: 70, providers: ['wasm'], output: [2.5], released: true }]);
  });

  it('resolves when the runtime cannot start (the real session reports it)', async () => {
    const ort = {
      Tensor: ortNode.Tensor,
      InferenceSession: { create: () => Promise.reject(new Error('no backend found')) },
    } as unknown as OrtModuleLike;
    await expect(startOrtRuntime(ort, 'webgpu')).resolves.toBeUndefined();
  });
});

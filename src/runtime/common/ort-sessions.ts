/**
 * The one place that creates ONNX sessions for the ranker. The ORT module is injected
 * (onnxruntime-node in Node, onnxruntime-web in the worker), so this file imports no runtime:
 * it only describes the few members it uses, which both packages provide.
 */
import { BlenderError } from '../../engine/errors';
import type { PairModel } from '../../engine/pair-scorer';
import { graphFile, type Dtype } from './dtypes';

export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  /** Frees the tensor's data (GPU buffers on WebGPU); reading `data` afterwards fails. */
  dispose?(): void;
}

export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

export interface OrtSessionOptions {
  executionProviders?: readonly string[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** The members of `onnxruntime-node` / `onnxruntime-web` this file uses. */
export interface OrtModuleLike {
  InferenceSession: {
    create(model: Uint8Array, options?: OrtSessionOptions): Promise<OrtSessionLike>;
    create(path: string, options?: OrtSessionOptions): Promise<OrtSessionLike>;
  };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensorLike;
}

/** The ranker's ONNX file for a dtype, relative to the model folder. */
export function rankerFile(dtype: Dtype): string {
  return graphFile('model', dtype);
}

/**
 * A 70-byte ONNX graph (one float Identity, opset 13). onnxruntime-web compiles its ~20 MB
 * wasm and starts its threads on the first session it creates, seconds of work on a slow
 * machine: creating this one while a large model's bytes are still being read does that
 * work in the meantime instead of after.
 */
const STARTER_GRAPH = new Uint8Array([
  8, 8, 18, 0, 58, 58, 10, 16, 10, 1, 120, 18, 1, 121, 34, 8, 73, 100, 101, 110, 116, 105, 116, 121, 18, 4, 119, 97, 114, 109, 90, 15, 10, 1, 120, 18, 10, 10,
  8, 8, 1, 18, 4, 10, 2, 8, 1, 98, 15, 10, 1, 121, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 66, 4, 10, 0, 16, 13,
]);

/**
 * Starts the ORT runtime for `executionProvider` (see STARTER_GRAPH); resolves when it is up.
 * Never rejects: a runtime that cannot start fails again, with its message, when the real
 * session is created.
 */
export async function startOrtRuntime(ort: OrtModuleLike, executionProvider: string): Promise<void> {
  try {
    const session = await ort.InferenceSession.create(STARTER_GRAPH, { executionProviders: [executionProvider] });
    await session.release();
  } catch {
    // Reported by the real session's creation.
  }
}

const RANKER_INPUTS = ['input_ids', 'attention_mask'] as const;
const RANKER_OUTPUT = 'logits';

/** A ranker session: the engine's PairModel plus what info() reports and a way to free it. */
export interface RankerSession extends PairModel {
  readonly executionProviders: readonly string[];
  release(): Promise<void>;
}

/**
 * Opens the ranker graph (bytes, or a file path where the runtime reads files itself, which
 * onnxruntime-node needs for models with external data) and checks its interface:
 * int64 `input_ids`, `attention_mask` [batch, seq] -> float32 `logits` [batch].
 */
export async function createRankerSession(ort: OrtModuleLike, model: Uint8Array | string, options: OrtSessionOptions, source: string): Promise<RankerSession> {
  let session: OrtSessionLike;
  try {
    session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (error) {
    throw new BlenderError('MODEL_LOAD_FAILED', `could not open the ranker ${source}: ${String(error)}`, 'options.ranker', {
      cause: error,
    });
  }
  const missing = [
    ...RANKER_INPUTS.filter((name) => !session.inputNames.includes(name)),
    ...(session.outputNames.includes(RANKER_OUTPUT) ? [] : [RANKER_OUTPUT]),
  ];
  if (missing.length > 0) {
    await session.release();
    throw new BlenderError(
      'MODEL_INVALID',
      `${source} is not a PairRM ranker graph: it lacks ${missing.join(', ')} (inputs: ${session.inputNames.join(', ')}; outputs: ${session.outputNames.join(', ')})`,
      'options.ranker',
    );
  }
  // onnxruntime-web rejects a run while another is in flight on the same session, and two
  // calls of the engine may overlap (each awaits between runs): runs go one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = async (inputIds: BigInt64Array, attentionMask: BigInt64Array, batch: number, seqLength: number) => {
    const dims = [batch, seqLength];
    const feeds = {
      input_ids: new ort.Tensor('int64', inputIds, dims),
      attention_mask: new ort.Tensor('int64', attentionMask, dims),
    };
    let outputs: Record<string, OrtTensorLike> = {};
    try {
      outputs = await session.run(feeds);
      const logits = outputs[RANKER_OUTPUT];
      if (!logits || !(logits.data instanceof Float32Array)) {
        throw new BlenderError('INFERENCE_FAILED', `the ranker's "logits" output is not float32 (got ${logits?.type})`);
      }
      // A copy: the tensor is disposed below, and thousands of calls must not pile up tensors.
      return logits.data.slice();
    } finally {
      for (const tensor of [...Object.values(feeds), ...Object.values(outputs)]) tensor.dispose?.();
    }
  };
  return {
    executionProviders: options.executionProviders ?? [],
    run(inputIds, attentionMask, batch, seqLength) {
      const result = queue.then(() => runOnce(inputIds, attentionMask, batch, seqLength));
      queue = result.catch(() => undefined);
      return result;
    },
    release: async () => {
      await queue;
      await session.release();
    },
  };
}

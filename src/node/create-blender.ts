import * as ort from 'onnxruntime-node';
import { ENGINE_DEFAULTS } from '../engine/call-options';
import { BlenderError } from '../engine/errors';
import type { Blender, Ranker, RankerInfo } from '../engine/types';
import { loadRanker, type LoadedRanker } from '../runtime/model-files';
import { diskModelFiles } from './disk-model-files';
import { resolveNodeOptions, type NodeBlenderOptions } from './node-blender-options';

export interface NodeBlenderInfo {
  runtime: 'onnxruntime-node';
  ortVersion: string;
  device: 'cpu';
  /** Why this device and dtype. */
  reason: string;
  threads: number | 'onnxruntime default';
  ranker: RankerInfo | null;
  fuser: null;
}

export type NodeBlender = Blender<NodeBlenderInfo>;

/**
 * `createBlender` for Node: the same API as the page's, in-process, on onnxruntime-node,
 * with model folders read from disk.
 */
export async function createBlender(options: NodeBlenderOptions = {}): Promise<NodeBlender> {
  const resolved = resolveNodeOptions(options);
  const defaults = {
    batchSize: resolved.batchSize ?? ENGINE_DEFAULTS.batchSize,
    tokenBudget: resolved.tokenBudget ?? ENGINE_DEFAULTS.tokenBudget,
  };
  const sessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all' as const,
    ...(resolved.threads !== undefined ? { intraOpNumThreads: resolved.threads, interOpNumThreads: 1 } : {}),
  };
  const ranker =
    resolved.ranker === null
      ? null
      : await loadRanker(diskModelFiles(resolved.ranker), ort, resolved.dtype, sessionOptions, defaults);
  return new NodeBlenderImpl(ranker, resolved.ranker ?? '', `cpu (onnxruntime-node); ${resolved.dtypeReason}`, resolved.threads);
}

class NodeBlenderImpl implements NodeBlender {
  private disposed = false;

  constructor(
    private readonly ranker: LoadedRanker | null,
    private readonly rankerSource: string,
    private readonly reason: string,
    private readonly threads: number | undefined,
  ) {}

  rank: Ranker['rank'] = (...args) => this.withRanker((engine) => engine.rank(...args));
  compare: Ranker['compare'] = (...args) => this.withRanker((engine) => engine.compare(...args));
  compareConversations: Ranker['compareConversations'] = (...args) =>
    this.withRanker((engine) => engine.compareConversations(...args));
  rankWithRef: Ranker['rankWithRef'] = (...args) => this.withRanker((engine) => engine.rankWithRef(...args));

  async fuse(): Promise<string[]> {
    this.checkAlive();
    throw new BlenderError('FUSER_NOT_LOADED', 'no fuser is configured (createBlender({ fuser }))', 'fuser');
  }

  async rankAndFuse(): Promise<never> {
    this.checkAlive();
    throw new BlenderError('FUSER_NOT_LOADED', 'rankAndFuse needs a fuser; none is configured (createBlender({ fuser }))', 'fuser');
  }

  async info(): Promise<NodeBlenderInfo> {
    this.checkAlive();
    const ranker = this.ranker;
    return {
      runtime: 'onnxruntime-node',
      ortVersion: ort.env.versions.node ?? ort.env.versions.common,
      device: 'cpu',
      reason: this.reason,
      threads: this.threads ?? 'onnxruntime default',
      ranker: ranker && {
        source: this.rankerSource,
        file: ranker.file,
        dtype: ranker.dtype,
        executionProviders: [...ranker.session.executionProviders],
        config: { ...ranker.config },
        loadMs: ranker.loadMs,
        passes: ranker.engine.stats.passes,
        computeMs: ranker.engine.stats.computeMs,
      },
      fuser: null,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.ranker?.session.release();
  }

  private async withRanker<T>(call: (engine: LoadedRanker['engine']) => Promise<T>): Promise<T> {
    this.checkAlive();
    if (!this.ranker) {
      throw new BlenderError('RANKER_NOT_LOADED', 'no ranker is configured (createBlender({ ranker }))', 'ranker');
    }
    return call(this.ranker.engine);
  }

  private checkAlive(): void {
    if (this.disposed) throw new BlenderError('DISPOSED', 'this blender was disposed; create a new one');
  }
}

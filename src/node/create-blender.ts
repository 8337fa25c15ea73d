import * as ort from 'onnxruntime-node';
import { ENGINE_DEFAULTS } from '../engine/call-options';
import { BlenderError, throwIfAborted } from '../engine/errors';
import { bestOfN } from '../engine/best-of-n';
import { rankAndFuse } from '../engine/rank-and-fuse';
import type { BestOfNOptions, BestOfNResult, Blender, FuseOptions, PairRankerConfig, RankAndFuseOptions, RankAndFuseResultFor, Ranker } from '../engine/types';
import type { ModelInfo } from '../runtime/common/model-info';
import type { LoadedFuser } from '../runtime/common/fuser';
import { loadRanker, type LoadedRanker } from '../runtime/common/model-files';
import { notSelfChecked, type FuserProbe, type RankerProbe, type SelfCheckInfo } from '../runtime/common/probe';
import { runFuserProbe, runRankerProbe } from '../runtime/common/probe-run';
import { diskModelFiles } from '../runtime/node/disk-model-files';
import { loadNodeFuser } from '../runtime/node/node-fuser';
import { readFolderProbe, selfCheckInNode } from '../runtime/node/node-self-check';
import { requireCudaProvider } from '../runtime/node/cuda-provider';
import { resolveNodeOptions, type NodeBlenderOptions } from './node-blender-options';

export interface NodeBlenderInfo {
  runtime: 'onnxruntime-node';
  ortVersion: string;
  device: 'cpu' | 'cuda';
  /** Why this device and dtype. */
  reason: string;
  threads: number | 'onnxruntime default';
  ranker: NodeRankerInfo | null;
  fuser: ModelInfo | null;
}

export interface NodeRankerInfo extends ModelInfo {
  /** The execution providers onnxruntime-node opened the session with. */
  executionProviders: string[];
  /** The PairRM fields read from the folder's config.json. */
  config: PairRankerConfig;
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
  // CUDA runs the ranker; nodes without a CUDA kernel fall back to the CPU provider listed after it.
  if (resolved.device === 'cuda') requireCudaProvider();
  const sessionOptions = {
    executionProviders: resolved.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all' as const,
    ...(resolved.threads !== undefined ? { intraOpNumThreads: resolved.threads, interOpNumThreads: 1 } : {}),
  };
  const { signal } = resolved;
  throwIfAborted(signal, 'load');
  const ranker =
    resolved.ranker === null ? null : await loadRanker(diskModelFiles(resolved.ranker), ort, resolved.dtype, sessionOptions, defaults, resolved.pairCache);
  let fuser: LoadedFuser | null = null;
  const selfChecks: SelfChecks = { ranker: null, fuser: null };
  try {
    // The self-check runs on the loaded session before anyone can call it (docs/model-folder.md, probe).
    if (ranker && resolved.ranker !== null) {
      const probe = await readFolderProbe(resolved.ranker, 'ranker');
      selfChecks.ranker = await selfCheckInNode('ranker', resolved.ranker, probe, ranker.dtype, (p) => runRankerProbe(ranker.session, p as RankerProbe));
    }
    throwIfAborted(signal, 'load');
    fuser = resolved.fuser === null ? null : await loadNodeFuser(resolved.fuser, resolved.dtype, resolved.threads);
    if (fuser && resolved.fuser !== null) {
      const loaded = fuser;
      const probe = await readFolderProbe(resolved.fuser, 'fuser');
      selfChecks.fuser = await selfCheckInNode('fuser', resolved.fuser, probe, loaded.dtype, (p) => runFuserProbe(loaded.model, p as FuserProbe));
    }
    throwIfAborted(signal, 'load');
  } catch (error) {
    await ranker?.session.release();
    await fuser?.model.dispose();
    throw error;
  }
  const device = resolved.device === 'cuda' ? 'cuda (onnxruntime-node CUDA provider; the fuser on cpu)' : 'cpu (onnxruntime-node)';
  return new NodeBlenderImpl(ranker, fuser, resolved.ranker ?? '', resolved.device, `${device}; ${resolved.dtypeReason}`, resolved.threads, selfChecks);
}

interface SelfChecks {
  ranker: SelfCheckInfo | null;
  fuser: SelfCheckInfo | null;
}

class NodeBlenderImpl implements NodeBlender {
  private disposed = false;

  constructor(
    private readonly ranker: LoadedRanker | null,
    private readonly fuser: LoadedFuser | null,
    private readonly rankerSource: string,
    private readonly device: 'cpu' | 'cuda',
    private readonly reason: string,
    private readonly threads: number | undefined,
    private readonly selfChecks: SelfChecks,
  ) {}

  rank: Ranker['rank'] = (...args) => this.withRanker((engine) => engine.rank(...args));
  compare: Ranker['compare'] = (...args) => this.withRanker((engine) => engine.compare(...args));
  compareConversations: Ranker['compareConversations'] = (...args) => this.withRanker((engine) => engine.compareConversations(...args));
  rankWithRef: Ranker['rankWithRef'] = (...args) => this.withRanker((engine) => engine.rankWithRef(...args));

  async fuse(inputs: readonly string[], candidates: readonly (readonly string[])[], options?: FuseOptions): Promise<string[]> {
    return this.unlessDisposed(this.requireFuser('fuse').engine.fuse(inputs, candidates, options));
  }

  async rankAndFuse<WithMatrix extends boolean = false>(
    inputs: readonly string[],
    candidates: readonly (readonly string[])[],
    options?: RankAndFuseOptions & { returnMatrix?: WithMatrix },
  ): Promise<RankAndFuseResultFor<WithMatrix>> {
    const fuser = this.requireFuser('rankAndFuse');
    return this.withRanker((engine) => rankAndFuse(engine, fuser.engine, inputs, candidates, options));
  }

  bestOfN(prompts: readonly string[], options: BestOfNOptions): Promise<BestOfNResult> {
    return this.withRanker((engine) => bestOfN(engine, prompts, options));
  }

  async info(): Promise<NodeBlenderInfo> {
    this.checkAlive();
    const ranker = this.ranker;
    return {
      runtime: 'onnxruntime-node',
      ortVersion: ort.env.versions.node ?? ort.env.versions.common,
      device: this.device,
      reason: this.reason,
      threads: this.threads ?? 'onnxruntime default',
      ranker: ranker && {
        source: this.rankerSource,
        files: [ranker.file],
        dtype: ranker.dtype,
        backend: this.device,
        reason: this.reason,
        selfCheck: { ...(this.selfChecks.ranker ?? notSelfChecked(null, ranker.dtype)) },
        timings: { loadMs: ranker.loadMs },
        passes: ranker.engine.stats.passes,
        computeMs: ranker.engine.stats.computeMs,
        pairCache: ranker.engine.pairCache.info(),
        executionProviders: [...ranker.session.executionProviders],
        config: { ...ranker.config },
      },
      fuser: this.fuser && {
        source: this.fuser.source,
        files: [...this.fuser.files],
        dtype: this.fuser.dtype,
        backend: 'cpu',
        reason: this.reason,
        selfCheck: { ...(this.selfChecks.fuser ?? notSelfChecked(null, this.fuser.dtype)) },
        timings: { loadMs: this.fuser.loadMs },
        passes: this.fuser.engine.stats.generations,
        computeMs: this.fuser.engine.stats.computeMs,
      },
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.ranker?.session.release();
    await this.fuser?.model.dispose();
  }

  private requireFuser(method: string): LoadedFuser {
    this.checkAlive();
    if (!this.fuser) {
      throw new BlenderError('FUSER_NOT_LOADED', `${method} needs a fuser; none is configured (createBlender({ fuser }))`, 'options.fuser');
    }
    return this.fuser;
  }

  private async withRanker<T>(call: (engine: LoadedRanker['engine']) => Promise<T>): Promise<T> {
    this.checkAlive();
    if (!this.ranker) {
      throw new BlenderError('RANKER_NOT_LOADED', 'no ranker is configured (createBlender({ ranker }))', 'options.ranker');
    }
    return this.unlessDisposed(call(this.ranker.engine));
  }

  /**
   * A call that was running when dispose() released its sessions fails inside the runtime
   * ("session already disposed"); the caller is told what happened instead.
   */
  private async unlessDisposed<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.disposed) throw new BlenderError('DISPOSED', 'the blender was disposed during this call', undefined, { cause: error });
      throw error;
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new BlenderError('DISPOSED', 'this blender was disposed; create a new one');
  }
}

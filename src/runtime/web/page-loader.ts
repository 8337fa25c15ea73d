/**
 * The one shape of a model load in a page, shared by the ranker and the fuser: the backend
 * and dtype chosen (with the fallbacks of `auto`, backend-fallback.ts), time spent fetching
 * and creating sessions, the session events, a warm-up run, the numerical self-check (the
 * probe in the folder's manifest.json) and `info()` afterwards.
 * What differs per model (which files, how a session is made) comes in as `open`.
 */
import { BlenderError, isBlenderError } from '../../engine/errors';
import type { PairCacheInfo } from '../../engine/pair-cache';
import type { ModelRole } from '../common/model-info';
import type { Dtype, DtypeOption } from '../common/dtypes';
import { checkProbe, notSelfChecked, probeCovers, selfCheckPassed, type ModelProbe, type ProbeRun, type SelfCheckInfo } from '../common/probe';
import type { BackendChoice, PageDevice } from './backend-choice';
import { openWithFallback, SelfCheckFailure, warmUp } from './backend-fallback';
import type { ChoiceMemory } from './choice-memory';
import type { LoadEvent, PageModelInfo } from './load-events';
import type { StoreEvent } from './model-store';
import type { WebGpuProbe } from './webgpu-probe';

export interface PageModelRequest {
  /** The model folder's absolute URL. */
  url: string;
  device: PageDevice;
  dtype: DtypeOption;
  webgpu: WebGpuProbe;
  onLoad: ((event: LoadEvent) => void) | undefined;
  /** Self-check failures remembered per model and adapter; absent: nothing is remembered. */
  memory?: ChoiceMemory | undefined;
}

/** A model `open` made ready on one backend, and what the loader needs from it. */
export interface OpenedModel<T> {
  model: T;
  /** The graphs loaded, relative to the folder. */
  files: readonly string[];
  /** Passes run so far and their time (ranker: ordered pairs; fuser: fused inputs). */
  work(): { passes: number; computeMs: number };
  /** The smallest real run: kernels compile here, and a backend that cannot run fails here. */
  warmUp(): Promise<unknown>;
  /** Runs the manifest's probe (src/runtime/common/probe-run.ts) on this backend and dtype. */
  runProbe(probe: ModelProbe): Promise<ProbeRun>;
  release(): Promise<unknown>;
  /** The ranker's pair cache, as info() reports it (src/engine/pair-cache.ts). */
  pairCache?(): PairCacheInfo;
}

/** A loaded model, with what the page reports about it. */
export interface PageModel<T> {
  model: T;
  info(): PageModelInfo;
  release(): Promise<unknown>;
}

export class PageModelLoad {
  private readonly started = performance.now();
  private readonly timings = { downloadMs: 0, sessionMs: 0 };
  private sessionStarted = 0;

  constructor(
    readonly role: ModelRole,
    private readonly request: PageModelRequest,
  ) {}

  get url(): string {
    return this.request.url;
  }

  /** Store events of this load, tagged with the model's role; undefined when nobody listens. */
  get onStoreEvent(): ((event: StoreEvent) => void) | undefined {
    const { onLoad } = this.request;
    return onLoad && ((event) => onLoad({ ...event, role: this.role }));
  }

  /** Reads model bytes, counting the time as download time (network or cache). */
  async download<T>(read: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await read();
    } finally {
      this.timings.downloadMs += performance.now() - started;
    }
  }

  /** The bytes are in hand and session creation starts. */
  creatingSession(choice: BackendChoice): void {
    this.sessionStarted = performance.now();
    this.request.onLoad?.({ stage: 'session', role: this.role, backend: choice.backend, dtype: choice.dtype, status: 'creating' });
  }

  /**
   * Opens the model on the chosen backend (falling back for `auto`), warms it up, checks its
   * numbers against `probe` (the manifest's; null: not self-checked), and returns it with its
   * `info()`. `available`: the dtypes the folder has files for.
   */
  async open<T>(available: readonly Dtype[], probe: ModelProbe | null, open: (choice: BackendChoice) => Promise<OpenedModel<T>>): Promise<PageModel<T>> {
    const openReady = async (choice: BackendChoice) => {
      const opened = await open(choice);
      this.timings.sessionMs += performance.now() - this.sessionStarted;
      const firstRunMs = await warmUp(
        () => opened.warmUp(),
        () => opened.release(),
      );
      const selfCheck = await this.selfCheck(opened, choice, probe);
      this.request.onLoad?.({ stage: 'session', role: this.role, backend: choice.backend, dtype: choice.dtype, status: 'ready' });
      return { opened, firstRunMs, selfCheck };
    };
    const { loaded, choice } = await openWithFallback(this.role, this.request, available, openReady);
    const { opened, firstRunMs, selfCheck } = loaded;
    const baseline = opened.work();
    const timings = { ...this.timings, firstRunMs, loadMs: performance.now() - this.started };
    return {
      model: opened.model,
      release: () => opened.release(),
      info: () => {
        // The warm-up is the load's, not the caller's: it is not counted as work.
        const work = opened.work();
        return {
          source: this.request.url,
          files: [...opened.files],
          backend: choice.backend,
          dtype: choice.dtype,
          reason: choice.reason,
          selfCheck: { ...selfCheck },
          timings: { ...timings },
          passes: work.passes - baseline.passes,
          computeMs: work.computeMs - baseline.computeMs,
          ...(opened.pairCache ? { pairCache: opened.pairCache() } : {}),
        };
      },
    };
  }

  /**
   * The probe, run right after the warm-up on the backend and dtype being opened. A failure
   * releases the model and throws SelfCheckFailure for the fallback to act on.
   */
  private async selfCheck<T>(opened: OpenedModel<T>, choice: BackendChoice, probe: ModelProbe | null): Promise<SelfCheckInfo> {
    if (!probe || !probeCovers(probe, choice.dtype)) return notSelfChecked(probe, choice.dtype);
    const started = performance.now();
    let outcome;
    try {
      outcome = checkProbe(probe, choice.dtype, choice.backend, await opened.runProbe(probe));
    } catch (error) {
      await opened.release().catch(() => undefined);
      throw error;
    }
    if (!outcome.passed) {
      await opened.release().catch(() => undefined);
      throw new SelfCheckFailure(outcome);
    }
    return selfCheckPassed(outcome, performance.now() - started);
  }
}

/**
 * Runs a page load. The model store names the folder it failed on `model`; to the caller of
 * createBlender that folder is `options.ranker` or `options.fuser`.
 */
export async function loadingAs<T>(role: ModelRole, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isBlenderError(error) && error.argument === 'model') {
      throw new BlenderError(error.code, error.message, `options.${role}`, { cause: error.cause });
    }
    throw error;
  }
}

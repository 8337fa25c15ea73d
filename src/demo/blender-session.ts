// The page's one blender: created from a model configuration, replaced when the user loads
// other models or changes device/dtype. The old worker goes first (two copies of a real
// model may not fit in memory); when the new configuration fails, the last working one is
// loaded again (from the cache), so the page stays usable.
import { createBlender, type BrowserBlender, type BrowserInfo, type Dtype, type LoadEvent, type PageDevice } from '../client/index';

export interface ModelConfig {
  ranker: string;
  fuser: string | null;
  device: PageDevice;
  dtype: Dtype | 'auto';
}

export interface LoadResult {
  config: ModelConfig;
  info: BrowserInfo;
  /** Wall time of createBlender, as the page saw it. */
  ms: number;
}

export type LoadOutcome =
  | { ok: true; result: LoadResult }
  /** `restored`: the previous configuration, loaded again; null when there was none or it failed too. */
  | { ok: false; error: unknown; restored: LoadResult | null };

export class BlenderSession {
  private current: BrowserBlender | null = null;
  private working: ModelConfig | null = null;

  /** `create` is the page's createBlender; tests pass a fake. */
  constructor(private readonly create: typeof createBlender = createBlender) {}

  get blender(): BrowserBlender | null {
    return this.current;
  }

  /** The configuration now loaded (null while loading or after a failure). */
  get config(): ModelConfig | null {
    return this.current ? this.working : null;
  }

  /**
   * Loads `config`. When it fails, the last working configuration is loaded again (from the
   * cache) when there was one: the outcome says what failed and what was brought back.
   * `signal` cancels the new load (download or session creation); the previous
   * configuration then comes back as after a failure.
   */
  async load(config: ModelConfig, onProgress: (event: LoadEvent) => void, signal?: AbortSignal): Promise<LoadOutcome> {
    const previous = this.current ? this.working : null;
    await this.unload();
    try {
      return { ok: true, result: await this.open(config, onProgress, signal) };
    } catch (error) {
      const restored = previous ? await this.open(previous, onProgress).catch(() => null) : null;
      return { ok: false, error, restored };
    }
  }

  private async open(config: ModelConfig, onProgress: (event: LoadEvent) => void, signal?: AbortSignal): Promise<LoadResult> {
    const started = performance.now();
    const { ranker, fuser, device, dtype } = config;
    const blender = await this.create({ ranker, fuser, device, dtype, onProgress, ...(signal ? { signal } : {}) });
    const info = await blender.info().catch(async (error: unknown) => {
      await blender.dispose();
      throw error;
    });
    this.current = blender;
    this.working = config;
    return { config, info, ms: performance.now() - started };
  }

  private async unload(): Promise<void> {
    const blender = this.current;
    this.current = null;
    await blender?.dispose();
  }
}

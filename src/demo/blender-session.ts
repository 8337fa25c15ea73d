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

export class BlenderSession {
  private current: BrowserBlender | null = null;
  private working: ModelConfig | null = null;

  get blender(): BrowserBlender | null {
    return this.current;
  }

  /** The configuration now loaded (null while loading or after a failure). */
  get config(): ModelConfig | null {
    return this.current ? this.working : null;
  }

  /**
   * Loads `config`. On failure rethrows, after bringing back the last working configuration
   * when there was one (its result is then `restored`).
   */
  async load(config: ModelConfig, onProgress: (event: LoadEvent) => void): Promise<LoadResult> {
    const previous = this.current ? this.working : null;
    await this.unload();
    try {
      return await this.open(config, onProgress);
    } catch (error) {
      if (previous) {
        const restored = await this.open(previous, onProgress).catch(() => null);
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { restored });
      }
      throw error;
    }
  }

  private async open(config: ModelConfig, onProgress: (event: LoadEvent) => void): Promise<LoadResult> {
    const started = performance.now();
    const blender = await createBlender({ ranker: config.ranker, fuser: config.fuser, device: config.device, dtype: config.dtype, onProgress });
    const info = await blender.info();
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

/** The result brought back after a failed load, if any. */
export function restoredAfter(error: unknown): LoadResult | null {
  return (error as { restored?: LoadResult | null } | null)?.restored ?? null;
}

// The models form: ranker and fuser folders (bundled, same-origin path or a URL), device and
// dtype. Loading (at start, on Load, or when device/dtype change) replaces the page's blender
// and shows its progress; a failed load says why and falls back to what worked before.
import type { Dtype, PageDevice } from '../client/index';
import type { Activity } from './activity';
import type { BlenderSession, LoadResult, ModelConfig } from './blender-session';
import { DEFAULT_MODELS } from './default-models';
import { byId, el, errorMessage } from './dom';
import type { LoadProgressView } from './load-progress';

export interface ModelsPanelHooks {
  loaded(result: LoadResult): void;
  /** The load failed and nothing could be brought back. */
  failed(message: string): void;
}

export class ModelsPanel {
  private readonly form = byId<HTMLFormElement>('models-form');
  private readonly ranker = byId<HTMLInputElement>('ranker-url');
  private readonly fuser = byId<HTMLInputElement>('fuser-url');
  private readonly device = byId<HTMLSelectElement>('device');
  private readonly dtype = byId<HTMLSelectElement>('dtype');
  private readonly loadButton = byId<HTMLButtonElement>('load-models');
  private readonly defaultsButton = byId<HTMLButtonElement>('default-models');
  private readonly cancelButton = byId<HTMLButtonElement>('cancel-load');
  private readonly loadedLabel = byId('loaded-models');

  constructor(
    private readonly session: BlenderSession,
    private readonly activity: Activity,
    private readonly progress: LoadProgressView,
    private readonly hooks: ModelsPanelHooks,
  ) {
    this.ranker.value = DEFAULT_MODELS.ranker;
    this.fuser.value = DEFAULT_MODELS.fuser;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.load();
    });
    // A different device or dtype needs new sessions: reload at once.
    this.device.addEventListener('change', () => void this.load());
    this.dtype.addEventListener('change', () => void this.load());
    this.defaultsButton.addEventListener('click', () => {
      this.ranker.value = DEFAULT_MODELS.ranker;
      this.fuser.value = DEFAULT_MODELS.fuser;
      void this.load();
    });
    this.cancelButton.addEventListener('click', () => activity.cancel());
    activity.subscribe(() => {
      const busy = activity.busy;
      for (const control of [this.ranker, this.fuser, this.device, this.dtype, this.loadButton, this.defaultsButton]) control.disabled = busy;
      this.cancelButton.disabled = activity.kind !== 'load';
    });
  }

  private readConfig(): ModelConfig | string {
    const ranker = this.ranker.value.trim();
    if (!ranker) return 'Give the ranker model folder (a path on this site or a URL).';
    const fuser = this.fuser.value.trim();
    return { ranker, fuser: fuser || null, device: this.device.value as PageDevice, dtype: this.dtype.value as Dtype | 'auto' };
  }

  async load(): Promise<void> {
    if (this.activity.busy) return;
    const config = this.readConfig();
    if (typeof config === 'string') {
      this.progress.failed(config);
      this.ranker.focus();
      return;
    }
    const signal = this.activity.begin('load');
    this.progress.start(config.fuser ? 'the ranker and the fuser' : 'the ranker');
    try {
      const outcome = await this.session.load(config, (event) => this.progress.handle(event), signal);
      if (outcome.ok) {
        this.progress.done(outcome.result.ms);
        this.showLoaded(outcome.result.config);
        this.hooks.loaded(outcome.result);
        return;
      }
      const message = signal.aborted ? `Cancelled loading ${describe(config)}` : `Could not load ${describe(config)}: ${errorMessage(outcome.error)}`;
      if (outcome.restored) {
        this.progress.failed(`${message}. Back on the previous models.`);
        this.showConfig(outcome.restored.config);
        this.showLoaded(outcome.restored.config);
        this.hooks.loaded(outcome.restored);
      } else {
        this.progress.failed(message);
        this.loadedLabel.textContent = 'No models loaded.';
        this.hooks.failed(message);
      }
    } finally {
      this.activity.end();
    }
  }

  private showConfig(config: ModelConfig): void {
    this.ranker.value = config.ranker;
    this.fuser.value = config.fuser ?? '';
    this.device.value = config.device;
    this.dtype.value = config.dtype;
  }

  private showLoaded(config: ModelConfig): void {
    const isDefault = config.ranker === DEFAULT_MODELS.ranker || config.fuser === DEFAULT_MODELS.fuser;
    this.loadedLabel.replaceChildren(
      el('span', { text: `Ranker: ${config.ranker} · Fuser: ${config.fuser ?? 'none (no fusion)'}` }),
      ...(isDefault ? [el('span', { className: 'model-label', text: DEFAULT_MODELS.label })] : []),
    );
  }
}

function describe(config: ModelConfig): string {
  const target = config.device === 'auto' && config.dtype === 'auto' ? '' : ` (device ${config.device}, dtype ${config.dtype})`;
  return `${config.ranker}${config.fuser ? ` and ${config.fuser}` : ''}${target}`;
}

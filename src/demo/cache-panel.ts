// The model cache (through the blender's cache API): which store new downloads go to (the
// Origin Private File System, or IndexedDB where the browser lacks it; info().modelStore),
// what is stored and where, the bytes it takes of the origin's quota, delete one model or
// clear all. Deleting never touches the models already running; the next load of a deleted
// model downloads it again.
import type { ModelStoreChoice, StoreKind } from '../client/index';
import type { Activity } from './activity';
import type { BlenderSession } from './blender-session';
import { byId, el, errorMessage } from './dom';
import { formatBytes } from './format';

export class CachePanel {
  private readonly usage = byId('cache-usage');
  private readonly list = byId<HTMLUListElement>('cache-list');
  private readonly refreshButton = byId<HTMLButtonElement>('cache-refresh');
  private readonly clearButton = byId<HTMLButtonElement>('cache-clear');
  private readonly status = byId('cache-status');

  constructor(
    private readonly session: BlenderSession,
    private readonly activity: Activity,
  ) {
    this.refreshButton.addEventListener('click', () => void this.refresh());
    this.clearButton.addEventListener(
      'click',
      () => void this.change(() => this.cache()!.clear(), 'Cleared the cache: the next load downloads the models again.'),
    );
    activity.subscribe(() => this.refreshButtons());
  }

  refreshButtons(): void {
    const disabled = this.activity.busy || !this.session.blender;
    this.refreshButton.disabled = disabled;
    this.clearButton.disabled = disabled || this.list.querySelector('li.cached') === null;
    for (const button of this.list.querySelectorAll('button')) button.disabled = disabled;
  }

  async refresh(): Promise<void> {
    const cache = this.cache();
    if (!cache) return;
    try {
      const [models, usage, info] = await Promise.all([cache.list(), cache.usage(), this.session.blender!.info().catch(() => null)]);
      const loaded = this.loadedModels();
      this.list.replaceChildren(
        ...models.map((model) => {
          const name = displayName(model.model);
          const inUse = loaded.has(model.model) ? ' · in use' : '';
          const remove = el('button', {
            className: 'secondary small',
            text: 'Delete',
            attrs: { type: 'button', 'aria-label': `Delete ${name} from the cache` },
          });
          remove.addEventListener('click', () => void this.change(() => cache.delete(model.model), `Deleted ${name} from the cache.`));
          return el('li', { className: 'cached' }, [
            el('span', { className: 'cache-name', text: name }),
            el('span', {
              className: 'cache-size',
              text: `${formatBytes(model.bytes)} · ${model.files.length} file${model.files.length === 1 ? '' : 's'} · ${storesOf(model.files)}${inUse}`,
            }),
            remove,
          ]);
        }),
      );
      if (models.length === 0) this.list.append(el('li', { className: 'hint', text: 'Nothing cached.' }));
      // The browser's estimate is coarse (it may count compressed or pending data): say so.
      const quota = usage.quota !== undefined ? ` of its ${formatBytes(usage.quota)} quota` : '';
      const origin = usage.originUsage !== undefined ? ` This site uses about ${formatBytes(usage.originUsage)}${quota} (the browser's estimate).` : '';
      const where = info ? ` ${describeStore(info.modelStore)}` : '';
      this.usage.textContent = `${formatBytes(usage.bytes)} of models cached.${where}${origin}`;
    } catch (error) {
      this.status.textContent = `Could not read the cache: ${errorMessage(error)}`;
    }
    this.refreshButtons();
  }

  private async change(work: () => Promise<void>, done: string): Promise<void> {
    if (!this.cache()) return;
    try {
      await work();
      this.status.textContent = done;
    } catch (error) {
      this.status.textContent = `Failed: ${errorMessage(error)}`;
    }
    await this.refresh();
    // The removed row's button is gone: keep keyboard focus in the panel.
    if (!document.activeElement || document.activeElement === document.body) this.refreshButton.focus();
  }

  private cache() {
    return this.session.blender?.cache ?? null;
  }

  /** The cache keys the model store uses: absolute folder URLs without a trailing slash. */
  private loadedModels(): Set<string> {
    const config = this.session.config;
    const urls = [config?.ranker, config?.fuser].filter((url): url is string => !!url);
    return new Set(urls.map((url) => new URL(url.replace(/\/*$/, '/'), location.href).href.replace(/\/$/, '')));
  }
}

const STORE_NAMES: Record<StoreKind, string> = { opfs: 'OPFS', indexeddb: 'IndexedDB' };

/** Which stores hold a model's files: "OPFS", "IndexedDB", or both while an old cache moves over. */
function storesOf(files: ReadonlyArray<{ store: StoreKind }>): string {
  return [...new Set(files.map((file) => STORE_NAMES[file.store]))].join(' + ');
}

/** Where new downloads go, and why there when it is not OPFS. */
function describeStore(choice: ModelStoreChoice): string {
  if (choice.kind === 'opfs') return 'Downloads are stored in the Origin Private File System (OPFS).';
  if (choice.kind === 'indexeddb') return `Downloads are stored in IndexedDB: ${choice.reason.replace(/^IndexedDB \((.*)\)$/, '$1')}.`;
  return `Downloads are not stored: ${choice.reason}.`;
}

/** Same-origin models by path, others by full URL. */
function displayName(model: string): string {
  const url = new URL(model);
  return url.origin === location.origin ? url.pathname : model;
}

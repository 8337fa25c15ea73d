/**
 * What `device: 'auto'` learnt about a model on this machine: the backends and dtypes that
 * failed the model's self-check, per model and WebGPU adapter, so the next load goes straight
 * to one that passed and says so. Kept beside the model cache, in the same key-value storage
 * under its own key prefix (the cache never reads these keys); deleting a model from the
 * cache, or clearing it, forgets them too (the worker and openModelCache call `forget`).
 * Best effort: storage that cannot be used only costs the retry.
 */
import type { Dtype } from '../common/dtypes';
import type { KeyValueStorage } from './chunked-cache';
import type { PageBackend } from './load-events';
import { normalizeModel } from './manifest';
import type { WebGpuProbe } from './webgpu-probe';

export const CHOICE_PREFIX = 'choice|';

export interface RememberedFailure {
  backend: PageBackend;
  dtype: Dtype;
  /** The self-check's outcome at the time ("q8 on wasm: max |Δlogit| 0.3 > 0.08"). */
  summary: string;
}

export interface ChoiceMemory {
  failures(model: string, webgpu: WebGpuProbe): Promise<RememberedFailure[]>;
  remember(model: string, webgpu: WebGpuProbe, failure: RememberedFailure): Promise<void>;
  /** Forgets one model (every adapter), or every model. */
  forget(model?: string): Promise<void>;
}

/** The adapter part of a key: the same adapter, whatever tab or session probes it. */
export function adapterKey(webgpu: WebGpuProbe): string {
  if (!webgpu.available) return 'no adapter';
  const { vendor, architecture, device, description } = webgpu.adapter;
  return [vendor, architecture, device, description].join('/');
}

export function choiceMemory(storage: KeyValueStorage): ChoiceMemory {
  const keyOf = (model: string, webgpu: WebGpuProbe) => `${CHOICE_PREFIX}${normalizeModel(model)}|${adapterKey(webgpu)}`;
  const read = async (key: string): Promise<RememberedFailure[]> => {
    const value = (await storage.get(key).catch(() => undefined)) as { failures?: unknown } | undefined;
    return Array.isArray(value?.failures) ? (value.failures as RememberedFailure[]) : [];
  };
  return {
    failures: (model, webgpu) => read(keyOf(model, webgpu)),
    async remember(model, webgpu, failure) {
      const key = keyOf(model, webgpu);
      const known = (await read(key)).filter((old) => old.backend !== failure.backend || old.dtype !== failure.dtype);
      await storage.set(key, { failures: [...known, failure] }).catch(() => undefined);
    },
    async forget(model) {
      const prefix = model === undefined ? CHOICE_PREFIX : `${CHOICE_PREFIX}${normalizeModel(model)}|`;
      const keys = await storage.keys().catch(() => [] as string[]);
      for (const key of keys) if (key.startsWith(prefix)) await storage.del(key).catch(() => undefined);
    },
  };
}

/**
 * A lost WebGPU device (driver reset, `device.destroy()`, the GPU process restarted): every
 * session on it is dead. The worker watches the device its models run on; once lost, calls
 * in flight reject with DEVICE_LOST (they would otherwise hang or fail with a driver message),
 * and the next call reloads the models on WASM, with the reason in info(). The model cache is
 * not touched: the reload reads the same verified bytes.
 */
import { BlenderError } from '../../engine/errors';
import type { PageModel } from './page-loader';

/** The members of a GPUDevice read here (avoids a dependency on @webgpu/types). */
interface GpuDeviceLike {
  readonly lost: Promise<{ reason?: string; message?: string }>;
}

/** Where the WebGPU device lives: onnxruntime-web's `env.webgpu.device` (a promise in ORT 1.2x). */
export interface WebGpuEnvLike {
  env: { webgpu: { device?: unknown } };
}

/**
 * How long a run that failed on WebGPU waits for the device's `lost` promise before its error
 * is reported as it is: a destroyed device fails the run in flight first, and settles `lost`
 * a moment later (measured in Chromium: the run's error comes first). Only failures wait.
 */
const LOSS_GRACE_MS = 250;

export class DeviceLossWatch {
  private lostReason: string | null = null;
  private announceLost: () => void = () => undefined;
  private readonly lostSettled = new Promise<void>((resolve) => (this.announceLost = resolve));
  /** The calls racing the loss right now (a set, so finished calls leave nothing behind). */
  private readonly waiting = new Set<(error: BlenderError) => void>();
  private readonly listeners: ((error: BlenderError) => void)[] = [];

  /** Why the device was lost ("destroyed: ..."), or null while it is not. */
  get reason(): string | null {
    return this.lostReason;
  }

  /** Called once, when the device is lost (the worker aborts its running calls there). */
  onLost(listener: (error: BlenderError) => void): void {
    this.listeners.push(listener);
  }

  /** Marks the device lost: every call racing it rejects now with DEVICE_LOST. */
  markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    this.announceLost();
    const error = deviceLostError(reason);
    for (const reject of this.waiting) reject(error);
    this.waiting.clear();
    for (const listener of this.listeners) listener(error);
  }

  /** Watches the device ORT runs WebGPU sessions on; no-op where ORT has none. */
  async watch(ort: WebGpuEnvLike): Promise<void> {
    let device: GpuDeviceLike | undefined;
    try {
      device = (await ort.env.webgpu.device) as GpuDeviceLike | undefined;
    } catch {
      return; // no WebGPU device was ever created: nothing to lose
    }
    void device?.lost.then((info) => this.markLost([info.reason, info.message].filter(Boolean).join(': ') || 'unknown reason'));
  }

  /**
   * `work`, or DEVICE_LOST as soon as the device is lost while it runs; a failure of `work`
   * that the loss explains (it comes within LOSS_GRACE_MS) is DEVICE_LOST too.
   */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.lostReason !== null) return Promise.reject(deviceLostError(this.lostReason));
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      work
        .then(resolve, async (error: unknown) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([this.lostSettled, new Promise<void>((done) => (timer = setTimeout(done, LOSS_GRACE_MS)))]);
          clearTimeout(timer);
          if (this.lostReason !== null) reject(deviceLostError(this.lostReason));
          else reject(error instanceof Error ? error : new Error(String(error)));
        })
        .finally(() => this.waiting.delete(reject));
    });
  }
}

export function deviceLostError(reason: string): BlenderError {
  return new BlenderError('DEVICE_LOST', `the WebGPU device was lost (${reason}) while the call ran; the next call reloads the models on WASM`, undefined);
}

/** A model reloaded after the loss: info() says why it now runs on WASM. */
export function reloadedAfterLoss<T>(model: PageModel<T>, reason: string): PageModel<T> {
  return {
    ...model,
    info: () => ({ ...model.info(), reason: `WASM: the WebGPU device was lost (${reason}); reloaded on WASM` }),
  };
}

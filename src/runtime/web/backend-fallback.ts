/**
 * Opens a model on the backend chosen for it, and for `device: 'auto'` falls back from
 * WebGPU to WASM when WebGPU cannot load or run it, keeping the reason. Shared by the
 * page's ranker and fuser.
 */
import { isBlenderError } from '../../engine/errors';
import type { Dtype } from '../common/dtypes';
import type { ModelRole } from '../common/model-info';
import { chooseBackend, type BackendChoice } from './backend-choice';
import type { PageModelRequest } from './page-loader';

export async function openWithFallback<T>(
  role: ModelRole,
  request: Omit<PageModelRequest, 'url'>,
  available: readonly Dtype[],
  open: (choice: BackendChoice) => Promise<T>,
): Promise<{ loaded: T; choice: BackendChoice }> {
  const { device, dtype, webgpu } = request;
  const choice = chooseBackend({ device, dtype, webgpu, available });
  try {
    return { loaded: await open(choice), choice };
  } catch (error) {
    // Only `auto` may fall back: a forced WebGPU that fails is the caller's answer.
    if (choice.backend !== 'webgpu' || device !== 'auto' || !isBlenderError(error)) throw error;
    if (error.code !== 'MODEL_LOAD_FAILED' && error.code !== 'INFERENCE_FAILED') throw error;
    const reason = `WASM: WebGPU could not run the ${role} (${error.message})`;
    request.onLoad?.({ stage: 'fallback', role, from: 'webgpu', to: 'wasm', reason });
    const wasm = { ...chooseBackend({ device: 'wasm', dtype, webgpu, available }), reason };
    return { loaded: await open(wasm), choice: wasm };
  }
}

/**
 * One run right after a model opened: a backend that loads but cannot run (a kernel the
 * adapter lacks) fails here, where the fallback can still act, rather than in the first
 * call; the first call does not pay for kernel compilation; and info() can report what the
 * first run cost. On failure the model is released and the error rethrown.
 */
export async function warmUp(run: () => Promise<unknown>, release: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return performance.now() - started;
}

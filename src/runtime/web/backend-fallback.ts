/**
 * Opens a model on the backend chosen for it, and for `device: 'auto'` moves on when that
 * choice cannot serve: WebGPU that cannot load or run the model falls back to WASM, and a
 * choice whose numerical self-check fails goes down the fallback ladder (backend-choice.ts,
 * `fallbackLadder`). Each step is a `fallback` load event and ends up in the reason info()
 * reports; self-check failures are remembered per model and adapter (choice-memory.ts) so the
 * next load skips them. Shared by the page's ranker and fuser.
 */
import { isBlenderError } from '../../engine/errors';
import type { Dtype } from '../common/dtypes';
import type { ModelRole } from '../common/model-info';
import { numericsMismatch, type ProbeOutcome } from '../common/probe';
import { chooseBackend, describeChoice, fallbackLadder, type BackendChoice } from './backend-choice';
import type { PageModelRequest } from './page-loader';

/** Thrown by `open` for a model that loaded and ran but failed its self-check (already released). */
export class SelfCheckFailure extends Error {
  constructor(readonly outcome: ProbeOutcome) {
    super(`self-check failed: ${outcome.summary}`);
    this.name = 'SelfCheckFailure';
  }
}

export async function openWithFallback<T>(
  role: ModelRole,
  request: PageModelRequest,
  available: readonly Dtype[],
  open: (choice: BackendChoice) => Promise<T>,
): Promise<{ loaded: T; choice: BackendChoice }> {
  const { device, dtype, webgpu, url, memory } = request;
  const first = chooseBackend({ device, dtype, webgpu, available });
  const ladder = fallbackLadder({ device, dtype, webgpu, available }, first);
  let rungs: BackendChoice[] = [first, ...ladder.map((rung) => ({ ...rung, reason: '' }))];

  // What failed on an earlier load with this adapter is not tried again (only `auto` has a choice).
  if (ladder.length > 0 && memory) {
    const failed = await memory.failures(url, webgpu);
    const failure = (choice: BackendChoice) => failed.find((old) => old.backend === choice.backend && old.dtype === choice.dtype);
    const kept = rungs.filter((choice) => !failure(choice));
    if (kept.length > 0 && kept.length < rungs.length) {
      const skipped = rungs.filter(failure).map((choice) => `${describeChoice(choice)} failed its self-check on an earlier load (${failure(choice)!.summary})`);
      rungs = kept;
      rungs[0] = { ...rungs[0]!, reason: `${describeChoice(rungs[0]!)}: ${skipped.join('; ')}; remembered for this model and adapter` };
    }
  }

  let current = rungs[0]!;
  for (let index = 0; ;) {
    try {
      return { loaded: await open(current), choice: current };
    } catch (error) {
      if (error instanceof SelfCheckFailure) {
        const next = ladder.length > 0 ? rungs[index + 1] : undefined;
        if (!next) {
          const why =
            ladder.length === 0
              ? `device '${device}' and dtype '${dtype}' were asked for: only 'auto' for both may fall back to a safer choice.`
              : 'No safer backend or dtype is left to fall back to.';
          throw numericsMismatch(role, url, error.outcome, why);
        }
        await memory?.remember(url, webgpu, { backend: current.backend, dtype: current.dtype, summary: error.outcome.summary });
        const reason = `${describeChoice(next)}: ${describeChoice(current)} failed its self-check (${error.outcome.summary})`;
        request.onLoad?.({ stage: 'fallback', role, from: current.backend, to: next.backend, fromDtype: current.dtype, toDtype: next.dtype, reason });
        current = { ...next, reason };
        index++;
        continue;
      }
      // Only `auto` may fall back: a forced WebGPU that fails is the caller's answer.
      if (current.backend !== 'webgpu' || device !== 'auto' || !isBlenderError(error)) throw error;
      if (error.code !== 'MODEL_LOAD_FAILED' && error.code !== 'INFERENCE_FAILED') throw error;
      const reason = `WASM: WebGPU could not run the ${role} (${error.message})`;
      const wasm = { ...chooseBackend({ device: 'wasm', dtype, webgpu, available }), reason };
      request.onLoad?.({ stage: 'fallback', role, from: 'webgpu', to: 'wasm', fromDtype: current.dtype, toDtype: wasm.dtype, reason });
      // The rest of the ladder stays on WASM.
      rungs = [wasm, ...rungs.slice(index + 1).filter((rung) => rung.backend === 'wasm' && rung.dtype !== wasm.dtype)];
      index = 0;
      current = wasm;
    }
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

// The demo page: for now it shows what the runtime found (backend badge and details).
import { createBlender, type RuntimeInfo } from '../client/index';

const badge = document.querySelector<HTMLElement>('#backend-badge')!;
const reason = document.querySelector<HTMLElement>('#backend-reason')!;
const details = document.querySelector<HTMLDListElement>('#runtime-details')!;

function showRuntime(info: RuntimeInfo): void {
  badge.textContent = info.backend === 'wasm' ? `wasm × ${info.wasm.threads}` : 'webgpu';
  badge.dataset.backend = info.backend;
  reason.textContent = info.reason;
  const adapter = info.webgpu.available ? info.webgpu.adapter : null;
  const rows: Array<[string, string]> = [
    ['Backend', info.backend],
    ['Why', info.reason],
    ['WebGPU adapter', adapter ? `${adapter.vendor || 'unnamed'}${adapter.isFallbackAdapter ? ' (fallback)' : ''}` : 'none'],
    ['shader-f16', adapter ? String(adapter.shaderF16) : 'n/a'],
    ['Cross-origin isolated', String(info.crossOriginIsolated)],
    ['WASM threads', `${info.wasm.threads} (${info.wasm.reason})`],
    ['onnxruntime-web', info.ortVersion],
    ['ORT wasm from', info.ortWasmUrl],
  ];
  // textContent only: nothing shown here is ever parsed as HTML.
  details.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

async function main(): Promise<void> {
  try {
    const blender = await createBlender();
    showRuntime(await blender.info());
  } catch (error) {
    badge.textContent = 'error';
    badge.dataset.backend = 'error';
    reason.textContent = error instanceof Error ? error.message : String(error);
  }
}

void main();

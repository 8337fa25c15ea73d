// The backend badge ("WASM × 2 threads — no WebGPU adapter") and the runtime details: what
// runs the models and why, in words.
import type { BrowserInfo, PageModelInfo } from '../client/index';
import { el } from './dom';
import { formatDuration } from './format';

/** The badge's words and the reason after it. */
export function backendSummary(info: BrowserInfo): { badge: string; reason: string; backend: 'webgpu' | 'wasm' } {
  const backend = info.ranker?.backend ?? info.backend;
  const why = info.ranker?.reason ?? info.reason;
  const threads = info.wasm.threads;
  let badge: string;
  let reason: string;
  if (backend === 'wasm') {
    badge = `WASM × ${threads} thread${threads === 1 ? '' : 's'}`;
    reason = why.replace(/^WASM:\s*/, '');
    if (threads === 1) reason += `; 1 thread: ${info.wasm.reason}`;
  } else {
    badge = 'WebGPU';
    reason = why.replace(/^WebGPU,?\s*/, '').replace(/^\((.*)\)$/, '$1');
  }
  const fuser = info.fuser;
  if (fuser && fuser.backend !== backend) reason += `; the fuser runs on ${fuser.backend === 'wasm' ? 'WASM' : 'WebGPU'}: ${fuser.reason}`;
  return { badge, reason, backend };
}

export function showRuntime(info: BrowserInfo, badge: HTMLElement, reason: HTMLElement, details: HTMLElement): void {
  const summary = backendSummary(info);
  badge.textContent = summary.badge;
  badge.dataset.backend = summary.backend;
  reason.textContent = `— ${summary.reason}`;
  const adapter = info.webgpu.available ? info.webgpu.adapter : null;
  const rows: Array<[string, string]> = [
    ['Backend', `${summary.badge} — ${summary.reason}`],
    ['Ranker', describeModel(info.ranker)],
    ['Fuser', describeModel(info.fuser)],
    [
      'WebGPU adapter',
      adapter
        ? `${adapter.vendor || 'unnamed'}${adapter.software ? ` (software: ${adapter.software})` : ''}`
        : `none: ${info.webgpu.available ? '' : info.webgpu.reason}`,
    ],
    ['shader-f16', adapter ? String(adapter.shaderF16) : 'n/a'],
    ['Cross-origin isolated', String(info.crossOriginIsolated)],
    ['WASM threads', `${info.wasm.threads} (${info.wasm.reason})`],
    ['onnxruntime-web', `${info.ortVersion}, ${info.ortBuild === 'wasm' ? 'plain WASM build' : 'WebGPU-capable build'}`],
    ['ORT wasm from', info.ortWasmUrl],
  ];
  details.replaceChildren(...rows.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]));
}

export function showRuntimeError(message: string, badge: HTMLElement, reason: HTMLElement): void {
  badge.textContent = 'error';
  badge.dataset.backend = 'error';
  reason.textContent = `— ${message}`;
}

function describeModel(loaded: PageModelInfo | null): string {
  if (!loaded) return 'none';
  const { timings } = loaded;
  return (
    `${loaded.source} (${loaded.files.join(', ')}, ${loaded.dtype} on ${loaded.backend}); loaded in ${formatDuration(timings.loadMs)}: ` +
    `files ${formatDuration(timings.downloadMs)}, session ${formatDuration(timings.sessionMs)}, first run ${formatDuration(timings.firstRunMs)}; ` +
    (loaded.selfCheck.status === 'passed'
      ? `self-check passed (${loaded.selfCheck.detail}) in ${formatDuration(loaded.selfCheck.ms ?? 0)}`
      : `not self-checked: ${loaded.selfCheck.detail}`)
  );
}

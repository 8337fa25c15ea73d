// The demo page: loads the bundled tiny ranker, shows which backend runs it and why, and
// ranks the candidates typed in. Every text is rendered with textContent, never as HTML.
import { createBlender, type BrowserBlender, type BrowserInfo } from '../client/index';

const MODEL = 'models/tiny-pairrm';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const badge = $('#backend-badge');
const reason = $('#backend-reason');
const details = $<HTMLDListElement>('#runtime-details');
const form = $<HTMLFormElement>('#rank-form');
const rankButton = $<HTMLButtonElement>('#rank');
const status = $('#rank-status');
const ranking = $<HTMLOListElement>('#ranking');

function showRuntime(info: BrowserInfo): void {
  const backend = info.ranker?.backend ?? info.backend;
  badge.textContent = backend === 'wasm' ? `wasm × ${info.wasm.threads}` : 'webgpu';
  badge.dataset.backend = backend;
  reason.textContent = info.ranker?.reason ?? info.reason;
  const adapter = info.webgpu.available ? info.webgpu.adapter : null;
  const rows: Array<[string, string]> = [
    ['Backend', backend],
    ['Why', info.ranker?.reason ?? info.reason],
    ['Model', info.ranker ? `${info.ranker.source} (${info.ranker.file}, ${info.ranker.dtype})` : 'none'],
    ['Load', info.ranker ? `${Math.round(info.ranker.timings.loadMs)} ms (first run ${Math.round(info.ranker.timings.firstRunMs)} ms)` : 'n/a'],
    ['WebGPU adapter', adapter ? `${adapter.vendor || 'unnamed'}${adapter.isFallbackAdapter ? ' (fallback)' : ''}` : 'none'],
    ['shader-f16', adapter ? String(adapter.shaderF16) : 'n/a'],
    ['Cross-origin isolated', String(info.crossOriginIsolated)],
    ['WASM threads', `${info.wasm.threads} (${info.wasm.reason})`],
    ['onnxruntime-web', info.ortVersion],
    ['ORT wasm from', info.ortWasmUrl],
  ];
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

async function rank(blender: BrowserBlender): Promise<void> {
  const data = new FormData(form);
  const candidates = String(data.get('candidates')).split('\n').filter((line) => line.trim() !== '');
  if (candidates.length === 0) {
    status.textContent = 'Type at least one candidate.';
    return;
  }
  rankButton.disabled = true;
  status.textContent = 'ranking…';
  const started = performance.now();
  try {
    const options = { instructions: [String(data.get('instruction'))] };
    const [scores] = await blender.rank([String(data.get('input'))], [candidates], { ...options, returnScores: true });
    const order = candidates.map((text, i) => ({ text, score: scores![i]! })).sort((a, b) => b.score - a.score);
    ranking.replaceChildren(
      ...order.map(({ text, score }) => {
        const item = document.createElement('li');
        item.textContent = text;
        const value = document.createElement('span');
        value.className = 'score';
        value.textContent = score.toFixed(3);
        item.append(value);
        return item;
      }),
    );
    const pairs = candidates.length * (candidates.length - 1);
    status.textContent = `${pairs} pairs in ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  } finally {
    rankButton.disabled = false;
  }
}

async function main(): Promise<void> {
  try {
    const blender = await createBlender({
      ranker: MODEL,
      onProgress: (event) => {
        if (event.stage === 'download') status.textContent = `downloading ${event.file}…`;
        if (event.stage === 'session') status.textContent = `starting ${event.backend} (${event.dtype})…`;
      },
    });
    showRuntime(await blender.info());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void rank(blender);
    });
    rankButton.disabled = false;
    status.textContent = 'ready';
  } catch (error) {
    badge.textContent = 'error';
    badge.dataset.backend = 'error';
    const message = error instanceof Error ? error.message : String(error);
    reason.textContent = message;
    status.textContent = message;
  }
}

void main();

// The demo page: loads the bundled tiny ranker and fuser, shows which backend runs them and
// why, ranks the candidates typed in (with the pairwise matrix), and fuses the best ones
// with the answer streaming in. Every text is rendered with textContent, never as HTML.
import { aggregateScores, ranksFromScores } from '../engine/aggregate';
import { createBlender, type BrowserBlender, type BrowserInfo } from '../client/index';
import { renderHeatmap } from './heatmap';
import { DEFAULT_MODELS } from './default-models';

const RANKER = DEFAULT_MODELS.ranker;
const FUSER = DEFAULT_MODELS.fuser;
const TOP_K = 3;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const badge = $('#backend-badge');
const reason = $('#backend-reason');
const details = $<HTMLDListElement>('#runtime-details');
const form = $<HTMLFormElement>('#rank-form');
const rankButton = $<HTMLButtonElement>('#rank');
const fuseButton = $<HTMLButtonElement>('#fuse');
const cancelButton = $<HTMLButtonElement>('#cancel');
const status = $('#rank-status');
const ranking = $<HTMLOListElement>('#ranking');
const heatmap = $('#heatmap');
const fusedOutput = $('#fused');

let running: AbortController | null = null;

function showRuntime(info: BrowserInfo): void {
  const backend = info.ranker?.backend ?? info.backend;
  badge.textContent = backend === 'wasm' ? `wasm × ${info.wasm.threads}` : 'webgpu';
  badge.dataset.backend = backend;
  reason.textContent = info.ranker?.reason ?? info.reason;
  const adapter = info.webgpu.available ? info.webgpu.adapter : null;
  const model = (loaded: BrowserInfo['ranker']) =>
    loaded ? `${loaded.source} (${loaded.file}, ${loaded.dtype} on ${loaded.backend}), loaded in ${Math.round(loaded.timings.loadMs)} ms` : 'none';
  const rows: Array<[string, string]> = [
    ['Backend', backend],
    ['Why', info.ranker?.reason ?? info.reason],
    ['Ranker', model(info.ranker)],
    ['Fuser', model(info.fuser)],
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

function readForm(): { instruction: string; input: string; candidates: string[] } {
  const data = new FormData(form);
  return {
    instruction: String(data.get('instruction')),
    input: String(data.get('input')),
    candidates: String(data.get('candidates')).split('\n').filter((line) => line.trim() !== ''),
  };
}

function setBusy(busy: boolean): void {
  rankButton.disabled = busy;
  fuseButton.disabled = busy;
  cancelButton.disabled = !busy;
}

/** M[i][j] for every ordered pair (the N(N-1) passes of a full rank), then the reference's scores. */
async function rankWithMatrix(blender: BrowserBlender, signal: AbortSignal) {
  const { instruction, input, candidates } = readForm();
  const pairs = candidates.flatMap((_, i) => candidates.map((__, j) => [i, j] as const)).filter(([i, j]) => i !== j);
  const logits = pairs.length
    ? ((await blender.compare(
        pairs.map(() => input),
        pairs.map(([i]) => candidates[i]!),
        pairs.map(([, j]) => candidates[j]!),
        { mode: '[A,B]', returnLogits: true, instructions: pairs.map(() => instruction), signal },
      )) as number[])
    : [];
  const matrix = candidates.map(() => candidates.map(() => 0));
  pairs.forEach(([i, j], k) => (matrix[i]![j] = logits[k]!));
  const scores = aggregateScores(matrix, 'max_logits');
  return { instruction, input, candidates, matrix, scores, ranks: ranksFromScores(scores), passes: pairs.length };
}

function showRanking(candidates: readonly string[], scores: readonly number[], matrix: readonly (readonly number[])[]): void {
  const order = candidates.map((text, i) => ({ text, score: scores[i]!, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  ranking.replaceChildren(
    ...order.map(({ text, score, i }) => {
      const item = document.createElement('li');
      item.textContent = text;
      const value = document.createElement('span');
      value.className = 'score';
      value.textContent = `${score.toFixed(3)} (#${i + 1})`;
      item.append(value);
      return item;
    }),
  );
  renderHeatmap(heatmap, candidates, matrix);
}

async function run(blender: BrowserBlender, fuse: boolean): Promise<void> {
  if (readForm().candidates.length === 0) {
    status.textContent = 'Type at least one candidate.';
    return;
  }
  running = new AbortController();
  const { signal } = running;
  setBusy(true);
  status.textContent = 'ranking…';
  if (fuse) fusedOutput.textContent = '';
  const started = performance.now();
  try {
    const ranked = await rankWithMatrix(blender, signal);
    showRanking(ranked.candidates, ranked.scores, ranked.matrix);
    const rankMs = performance.now() - started;
    status.textContent = `${ranked.passes} pairs in ${Math.round(rankMs)} ms`;
    if (!fuse) return;
    status.textContent = 'fusing…';
    const best = ranked.candidates
      .map((text, i) => ({ text, rank: ranked.ranks[i]!, i }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .slice(0, TOP_K)
      .map(({ text }) => text);
    const numBeams = Number(new FormData(form).get('beams'));
    const [fused] = await blender.fuse([ranked.input], [best], {
      instructions: [ranked.instruction],
      numBeams,
      signal,
      onToken: (_input, text) => fusedOutput.append(text),
    });
    fusedOutput.textContent = fused ?? '';
    status.textContent = `${ranked.passes} pairs in ${Math.round(rankMs)} ms; fused the best ${best.length} in ${Math.round(performance.now() - started - rankMs)} ms`;
  } catch (error) {
    status.textContent = signal.aborted ? 'cancelled' : error instanceof Error ? error.message : String(error);
  } finally {
    running = null;
    setBusy(false);
  }
}

async function main(): Promise<void> {
  $('#models-notice').textContent = DEFAULT_MODELS.notice;
  try {
    const blender = await createBlender({
      ranker: RANKER,
      fuser: FUSER,
      onProgress: (event) => {
        if (event.stage === 'download') status.textContent = `downloading ${event.file} (${event.role})…`;
        if (event.stage === 'session') status.textContent = `starting the ${event.role} on ${event.backend} (${event.dtype})…`;
      },
    });
    showRuntime(await blender.info());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run(blender, false);
    });
    fuseButton.addEventListener('click', () => void run(blender, true));
    cancelButton.addEventListener('click', () => running?.abort());
    setBusy(false);
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

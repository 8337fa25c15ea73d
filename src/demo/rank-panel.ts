// The interactive panel: inputs, presets, candidates, and the Rank / Compare / Rank & Fuse /
// Cancel controls. Each run takes the page's one activity slot, shows progress in the status
// line and its results in the results view.
import type { ComputeProgress, RankStrategy } from '../client/index';
import type { Activity, ActivityKind } from './activity';
import type { BlenderSession } from './blender-session';
import type { CandidatesEditor } from './candidates-editor';
import { byId, el, errorMessage } from './dom';
import { formatDuration, shorten } from './format';
import { compareTwo, rankCandidates, type RankRequest } from './pairwise';
import { PRESETS } from './presets';
import { describeUsage, measurePairs, wireStrategySelect } from './strategies';
import type { ResultsView } from './results-view';

/** How many of the best candidates Rank & Fuse blends (the reference's default). */
const TOP_K = 3;

export class RankPanel {
  private readonly form = byId<HTMLFormElement>('rank-form');
  private readonly instruction = byId<HTMLInputElement>('instruction');
  private readonly input = byId<HTMLTextAreaElement>('input');
  private readonly preset = byId<HTMLSelectElement>('preset');
  private readonly strategy = byId<HTMLSelectElement>('strategy');
  private readonly beams = byId<HTMLSelectElement>('beams');
  private readonly rankButton = byId<HTMLButtonElement>('rank');
  private readonly fuseButton = byId<HTMLButtonElement>('fuse');
  private readonly cancelButton = byId<HTMLButtonElement>('cancel');
  private readonly compareA = byId<HTMLSelectElement>('compare-a');
  private readonly compareB = byId<HTMLSelectElement>('compare-b');
  private readonly compareButton = byId<HTMLButtonElement>('compare');
  private readonly status = byId('rank-status');

  constructor(
    private readonly session: BlenderSession,
    private readonly activity: Activity,
    private readonly editor: CandidatesEditor,
    private readonly results: ResultsView,
    private readonly loadMs: () => number | null,
  ) {
    wireStrategySelect(this.strategy, byId('strategy-hint'), ' Rank & Fuse always runs every pair, then fuses the best 3.');
    this.preset.append(...PRESETS.map((preset, i) => el('option', { text: preset.name, attrs: { value: String(i) } })));
    this.preset.addEventListener('change', () => this.applyPreset());
    editor.onChange(() => this.refreshCompareChoices());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.rank();
    });
    this.fuseButton.addEventListener('click', () => void this.rankAndFuse());
    this.compareButton.addEventListener('click', () => void this.compare());
    this.cancelButton.addEventListener('click', () => activity.cancel());
    activity.subscribe(() => this.refreshButtons());
    this.applyPreset();
  }

  /** Enables what can run now (after a load, or when an activity starts or ends). */
  refreshButtons(): void {
    const ready = !this.activity.busy && this.session.blender !== null;
    this.rankButton.disabled = !ready;
    this.compareButton.disabled = !ready;
    this.fuseButton.disabled = !ready || !this.session.config?.fuser;
    this.fuseButton.title = this.session.config && !this.session.config.fuser ? 'No fuser loaded: give a fuser folder above' : '';
    const kind = this.activity.kind;
    this.cancelButton.disabled = !(kind === 'rank' || kind === 'compare' || kind === 'fuse');
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  private applyPreset(): void {
    const preset = PRESETS[Number(this.preset.value)] ?? PRESETS[0]!;
    this.instruction.value = preset.instruction;
    this.input.value = preset.input;
    this.editor.set(preset.candidates);
  }

  private refreshCompareChoices(): void {
    const candidates = this.editor.values();
    for (const [select, fallback] of [
      [this.compareA, 0],
      [this.compareB, 1],
    ] as const) {
      const previous = select.value === '' ? null : Number(select.value);
      select.replaceChildren(...candidates.map((text, i) => el('option', { text: `#${i + 1} ${shorten(text, 32)}`, attrs: { value: String(i) } })));
      const keep = previous !== null && previous < candidates.length ? previous : Math.min(fallback, candidates.length - 1);
      if (keep >= 0) select.value = String(keep);
    }
  }

  private request(): RankRequest {
    return { instruction: this.instruction.value, input: this.input.value, candidates: this.editor.values() };
  }

  /** Runs `work` in the activity slot with the common status and error handling. */
  private async run(kind: ActivityKind, minCandidates: number, work: (request: RankRequest, signal: AbortSignal) => Promise<void>): Promise<void> {
    const blender = this.session.blender;
    if (!blender || this.activity.busy) return;
    const request = this.request();
    if (request.candidates.length < minCandidates) {
      this.setStatus(minCandidates === 1 ? 'Type at least one candidate.' : `Type at least ${minCandidates} candidates.`);
      return;
    }
    const signal = this.activity.begin(kind);
    try {
      await work(request, signal);
    } catch (error) {
      if (signal.aborted) {
        this.setStatus('Cancelled.');
      } else {
        this.setStatus(`Failed: ${errorMessage(error)}`);
      }
      if (kind !== 'compare' && this.status.dataset.phase === 'ranking')
        this.results.clearRanking(signal.aborted ? 'Cancelled before the ranking finished.' : 'No ranking: the run failed.');
      if (kind === 'fuse' && this.status.dataset.phase === 'fusing') this.results.endFused(null);
    } finally {
      delete this.status.dataset.phase;
      this.activity.end();
    }
  }

  private async rankStep(request: RankRequest, strategy: RankStrategy, signal: AbortSignal) {
    this.status.dataset.phase = 'ranking';
    this.results.showPending(request.candidates, strategy === 'full');
    this.setStatus('Ranking…');
    const started = performance.now();
    const result = await rankCandidates(this.session.blender!, request, strategy, signal, (progress) =>
      this.setStatus(`Ranking: ${progress.done} of ${progress.total} pairs…`),
    );
    const ms = performance.now() - started;
    this.results.showRanking(request.candidates, result);
    return { result, ms };
  }

  private rank(): Promise<void> {
    return this.run('rank', 2, async (request, signal) => {
      const strategy = this.strategy.value as RankStrategy;
      const measured = await measurePairs(this.session.blender!, () => this.rankStep(request, strategy, signal));
      const { result, ms } = measured.result;
      const usage = describeUsage(request.candidates.length, measured.usage);
      this.results.showTimings({ loadMs: this.loadMs(), rankMs: ms, passes: result.passes, usage, totalMs: ms });
      this.setStatus(`Ranked ${request.candidates.length} candidates (${strategy}): ${result.passes} pairs in ${formatDuration(ms)}: ${usage}.`);
    });
  }

  private rankAndFuse(): Promise<void> {
    return this.run('fuse', 1, async (request, signal) => {
      const started = performance.now();
      const { input, instruction, candidates } = request;
      this.status.dataset.phase = 'ranking';
      this.results.showPending(candidates, true);
      this.results.startFused();
      this.setStatus('Ranking…');
      let rankMs: number | null = null;
      let passes = 0;
      // rankAndFuse reports the ranking's passes, then the fusion's inputs: the ranking's
      // last event is where fusing starts.
      const onProgress = (progress: ComputeProgress) => {
        if (progress.stage !== 'rank') return;
        passes = progress.total;
        this.setStatus(`Ranking: ${progress.done} of ${progress.total} pairs…`);
        if (progress.done < progress.total) return;
        rankMs = performance.now() - started;
        this.status.dataset.phase = 'fusing';
        this.setStatus(`${passes} pairs in ${formatDuration(rankMs)}; fusing the best ${Math.min(TOP_K, candidates.length)}…`);
      };
      const blender = this.session.blender!;
      const measured = await measurePairs(blender, () =>
        blender.rankAndFuse([input], [candidates], {
          topK: TOP_K,
          returnMatrix: true,
          instructions: [instruction],
          numBeams: Number(this.beams.value),
          signal,
          onProgress,
          onToken: (_input, text) => this.results.appendFused(text),
        }),
      );
      const { result } = measured;
      const usage = describeUsage(candidates.length, measured.usage);
      const totalMs = performance.now() - started;
      const ranked = { strategy: 'full' as const, matrix: result.matrices[0]!, scores: result.scores[0]!, ranks: result.ranks[0]!, passes };
      this.results.showRanking(candidates, ranked);
      this.results.endFused(result.fused[0] ?? '');
      // One candidate needs no pair: the ranking took no time of its own.
      const rankEnd = rankMs ?? 0;
      const fuseMs = totalMs - rankEnd;
      const fusedCount = result.topCandidates[0]!.length;
      this.results.showTimings({ loadMs: this.loadMs(), rankMs: rankEnd, passes, fuseMs, totalMs, usage });
      this.setStatus(`${passes} pairs in ${formatDuration(rankEnd)} (${usage}); fused the best ${fusedCount} in ${formatDuration(fuseMs)}.`);
    });
  }

  private compare(): Promise<void> {
    return this.run('compare', 2, async (request, signal) => {
      const a = Number(this.compareA.value);
      const b = Number(this.compareB.value);
      if (a === b) {
        this.results.showComparisonMessage('Pick two different candidates to compare.');
        this.setStatus('Pick two different candidates.');
        return;
      }
      this.setStatus('Comparing…');
      const started = performance.now();
      const texts = request.candidates;
      const result = await compareTwo(this.session.blender!, request, texts[a]!, texts[b]!, signal);
      const ms = performance.now() - started;
      this.results.showComparison({ index: a, text: texts[a]! }, { index: b, text: texts[b]! }, result);
      this.results.showTimings({ loadMs: this.loadMs(), rankMs: ms, passes: 2, totalMs: ms });
      this.setStatus(`Compared #${a + 1} and #${b + 1} in both orders: 2 pairs in ${formatDuration(ms)}.`);
    });
  }
}

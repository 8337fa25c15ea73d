// Batch evaluation in the page: a JSONL or CSV file read locally (never uploaded), run a few
// rows per call, with a progress bar and Cancel, summarised per model column, and offered back as
// JSONL and CSV downloads (object URLs of Blobs made here).
import type { RankStrategy } from '../client/index';
import type { Activity } from './activity';
import type { BlenderSession } from './blender-session';
import { inRowOrder, type Outcome } from './batch/batch-outcomes';
import { resultsCsv, resultsJsonl } from './batch/batch-output';
import { describeBadRow, parseBatchFile, type BatchFile } from '../datasets/batch-rows';
import { runBatch } from './batch/batch-runner';
import { summarise, type BatchSummary } from './batch/batch-summary';
import { DownloadMeter } from './download-meter';
import { byId, el, errorMessage } from './dom';
import { formatDuration, formatPercent } from './format';
import { ordersEveryCandidate, wireStrategySelect } from './strategies';

/** Problems listed on the page; the results files hold every one. */
const MAX_LISTED_PROBLEMS = 20;

export class BatchPanel {
  private readonly fileInput = byId<HTMLInputElement>('batch-file');
  private readonly strategy = byId<HTMLSelectElement>('batch-strategy');
  private readonly runButton = byId<HTMLButtonElement>('batch-run');
  private readonly cancelButton = byId<HTMLButtonElement>('batch-cancel');
  private readonly bar = byId<HTMLProgressElement>('batch-bar');
  private readonly status = byId('batch-status');
  private readonly problems = byId<HTMLUListElement>('batch-problems');
  private readonly summary = byId('batch-summary');
  private readonly downloads = byId('batch-downloads');
  private file: { name: string; batch: BatchFile } | null = null;
  private objectUrls: string[] = [];

  constructor(
    private readonly session: BlenderSession,
    private readonly activity: Activity,
  ) {
    wireStrategySelect(this.strategy, byId('batch-strategy-hint'));
    this.fileInput.addEventListener('change', () => void this.read());
    this.runButton.addEventListener('click', () => void this.run());
    this.cancelButton.addEventListener('click', () => activity.cancel());
    activity.subscribe(() => this.refreshButtons());
  }

  refreshButtons(): void {
    this.runButton.disabled = this.activity.busy || !this.session.blender || !this.file || this.file.batch.rows.length === 0;
    this.cancelButton.disabled = this.activity.kind !== 'batch';
    this.fileInput.disabled = this.activity.kind === 'batch';
  }

  private async read(): Promise<void> {
    const picked = this.fileInput.files?.[0];
    this.file = null;
    this.clearResults();
    if (!picked) {
      this.status.textContent = '';
      this.refreshButtons();
      return;
    }
    try {
      const batch = parseBatchFile(picked.name, await picked.text());
      this.file = { name: picked.name, batch };
      const kind = batch.kind === 'pair' ? 'A/B pair' : 'ranking row';
      const models = batch.kind === 'rank' ? `; ${batch.models.length} candidate columns (${batch.models.map((model) => `“${model}”`).join(', ')})` : '';
      const bad = batch.bad.length ? `; ${batch.bad.length} bad row${batch.bad.length === 1 ? '' : 's'} (listed below, skipped)` : '';
      this.status.textContent = `${picked.name}: ${batch.rows.length} ${kind}${batch.rows.length === 1 ? '' : 's'}${models}${bad}.`;
      this.listProblems(batch.bad.map(describeBadRow));
    } catch (error) {
      this.status.textContent = `Cannot read ${picked.name}: ${errorMessage(error)}`;
    }
    this.refreshButtons();
  }

  private async run(): Promise<void> {
    const blender = this.session.blender;
    const file = this.file;
    if (!blender || !file || this.activity.busy) return;
    const { batch } = file;
    const strategy = this.strategy.value as RankStrategy;
    this.clearResults();
    const signal = this.activity.begin('batch');
    const started = performance.now();
    const meter = new DownloadMeter(5000);
    this.bar.max = 1;
    this.bar.value = 0;
    this.status.textContent = `Running ${batch.rows.length} rows…`;
    try {
      const run = await runBatch(blender, batch.rows, {
        strategy,
        signal,
        onProgress: (done, total) => {
          const reading = meter.update(done, total, performance.now());
          this.bar.value = reading.fraction;
          const left = reading.etaMs !== null && reading.etaMs > 0 ? ` · ${formatDuration(reading.etaMs)} left` : '';
          this.status.textContent = `Row ${Math.floor(done)} of ${total} (${formatPercent(reading.fraction)})${left}`;
        },
      });
      const outcomes = inRowOrder(run.outcomes, batch.bad);
      const ms = performance.now() - started;
      const ran = run.outcomes.length;
      this.status.textContent = run.cancelled
        ? `Cancelled after ${ran} of ${batch.rows.length} rows (${formatDuration(ms)}); the summary and files cover those rows.`
        : `Done: ${batch.rows.length} rows in ${formatDuration(ms)} (${formatDuration(ms / Math.max(1, batch.rows.length))} per row).`;
      this.bar.value = run.cancelled ? ran / Math.max(1, batch.rows.length) : 1;
      const summary = summarise(batch.kind, batch.models, outcomes, strategy);
      this.showSummary(summary, strategy);
      this.listProblems(outcomes.filter((outcome) => outcome.kind === 'failed').map(describeFailure));
      this.offerDownloads(file.name, batch, outcomes, run.cancelled);
    } catch (error) {
      this.status.textContent = `The batch failed: ${errorMessage(error)}`;
    } finally {
      this.activity.end();
    }
  }

  private showSummary(summary: BatchSummary, strategy: RankStrategy): void {
    const table = el('table', { className: 'summary' });
    const what =
      summary.kind === 'pair'
        ? `A/B pairs: wins of each side${summary.ties ? `, ${summary.ties} tie${summary.ties === 1 ? '' : 's'}` : ''}; mean M(A,B) − M(B,A) = ${summary.meanLogit?.toFixed(3) ?? '–'}`
        : `Per candidate column (${strategy}): win rate = share of its rows where it ranked first${ordersEveryCandidate(strategy) ? '' : `; ${strategy} finds only the best, so no mean rank`}`;
    table.append(el('caption', { className: 'visually-hidden', text: 'Summary per candidate column' }));
    // The explanation sits above the table, so it wraps to the panel, not to the table's width.
    const note = el('p', { className: 'summary-note', text: `${summary.ran} rows ran, ${summary.failed} did not. ${what}.` });
    const head = table.createTHead().insertRow();
    for (const title of ['Model', 'Rows', 'Wins', 'Win rate', 'Mean rank']) head.append(el('th', { text: title, attrs: { scope: 'col' } }));
    const body = table.createTBody();
    for (const column of summary.columns) {
      const row = body.insertRow();
      row.append(el('th', { text: column.model, attrs: { scope: 'row' } }));
      for (const value of [
        String(column.rows),
        String(column.wins),
        formatPercent(column.winRate),
        column.meanRank === null ? '–' : column.meanRank.toFixed(2),
      ]) {
        row.append(el('td', { text: value }));
      }
    }
    this.summary.replaceChildren(note, table);
  }

  private listProblems(messages: readonly string[]): void {
    const shown = messages.slice(0, MAX_LISTED_PROBLEMS).map((message) => el('li', { text: message }));
    const more =
      messages.length > MAX_LISTED_PROBLEMS ? [el('li', { text: `… and ${messages.length - MAX_LISTED_PROBLEMS} more (all are in the results files)` })] : [];
    this.problems.replaceChildren(...shown, ...more);
  }

  private offerDownloads(fileName: string, batch: BatchFile, outcomes: readonly Outcome[], partial: boolean): void {
    const base = `${fileName.replace(/\.[^.]+$/, '') || 'batch'}-results${partial ? '-partial' : ''}`;
    const link = (text: string, type: string, name: string, id: string) => {
      const url = URL.createObjectURL(new Blob([text], { type }));
      this.objectUrls.push(url);
      return el('a', { text: `Download ${name}`, attrs: { href: url, download: name, id } });
    };
    this.downloads.replaceChildren(
      link(resultsJsonl(outcomes, batch.named), 'application/jsonl', `${base}.jsonl`, 'download-jsonl'),
      link(resultsCsv(batch.kind, batch.models, outcomes), 'text/csv', `${base}.csv`, 'download-csv'),
    );
  }

  private clearResults(): void {
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.objectUrls = [];
    this.summary.replaceChildren();
    this.downloads.replaceChildren();
    this.problems.replaceChildren();
    this.bar.value = 0;
  }
}

function describeFailure(outcome: Outcome): string {
  if (outcome.kind !== 'failed') return '';
  return describeBadRow({ ...outcome.place, field: outcome.field, message: outcome.message });
}

// `llm-blender-web eval` end to end, built as `npm run build` builds it, on the committed
// MixInstruct-format sample and the synth ranker: results, the summary's figures (recomputed
// here from the results and the sample, by code of this test), preference pairs, resume after
// SIGKILL (same bytes as a clean run, no row ranked twice), a torn last line, bad rows.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlender } from '../../src/node/index';

const SAMPLE = 'test/fixtures/datasets/mixinstruct-sample.jsonl';
const RANKER = 'public/models/synth-pairrm';

interface SampleRow {
  id: string;
  instruction: string;
  input: string;
  candidates: { model: string; text: string; scores: Record<string, number> }[];
  cmp_results?: Record<string, string>;
}
interface OutRow {
  row: number;
  id: string;
  models: string[];
  ranks: number[];
  scores: number[];
  ranking: string[];
}

let outDir: string;
let work: string;
let clean: { text: string; rows: OutRow[] };
const sample = readFileSync(SAMPLE, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as SampleRow);

function evalRun(args: string[]): SpawnSyncReturns<string> {
  return spawnSync('node', [join(outDir, 'bin.js'), 'eval', ...args], { encoding: 'utf8', cwd: process.cwd() });
}
const lines = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
const tracedRows = (path: string) => lines<{ row: number }>(path).map((entry) => entry.row);

beforeAll(async () => {
  mkdirSync('node_modules/.cache', { recursive: true });
  outDir = mkdtempSync(join('node_modules/.cache', 'llm-blender-eval-bin-'));
  work = mkdtempSync(join('node_modules/.cache', 'llm-blender-eval-work-'));
  await build({ configFile: 'vite.config.ts', mode: 'node', logLevel: 'silent', build: { outDir } });
  const out = join(work, 'clean.jsonl');
  const run = evalRun([
    SAMPLE,
    '--ranker',
    RANKER,
    '--out',
    out,
    '--summary',
    join(work, 'summary.json'),
    '--pairs-out',
    join(work, 'pairs.jsonl'),
    '--pairs',
    'all',
  ]);
  expect(run.status, run.stderr).toBe(0);
  clean = { text: readFileSync(out, 'utf8'), rows: lines<OutRow>(out) };
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('a clean run on the sample', () => {
  it('writes one line per row, in order, with ranks that follow the scores and the models in rank order', () => {
    expect(clean.rows.map((r) => r.id)).toEqual(sample.map((r) => r.id));
    for (const out of clean.rows) {
      expect(out.models).toEqual(['strong-13b', 'steady-7b', 'mixed-7b', 'weak-3b', 'terse-1b']);
      // rank = 1 + how many scores are strictly higher (ties share the best rank).
      expect(out.ranks).toEqual(out.scores.map((s) => 1 + out.scores.filter((t) => t > s).length));
      expect(out.ranking.map((model) => out.ranks[out.models.indexOf(model)])).toEqual([...out.ranks].sort((a, b) => a - b));
    }
  });

  it('ranks as the Node API does', async () => {
    const blender = await createBlender({ ranker: RANKER });
    try {
      const rows = sample.slice(0, 6);
      const details = await blender.rank(
        rows.map((r) => r.input),
        rows.map((r) => r.candidates.map((c) => c.text)),
        { instructions: rows.map((r) => r.instruction), returnMatrix: true },
      );
      expect(clean.rows.slice(0, 6).map((r) => r.ranks)).toEqual(details.ranks);
      expect(clean.rows.slice(0, 6).map((r) => r.scores)).toEqual(details.scores);
    } finally {
      await blender.dispose();
    }
  });

  it('summarises: win rates, mean ranks, Spearman, oracle rate, upper bounds and cmp_results agreement as computed here', () => {
    const summary = JSON.parse(readFileSync(join(work, 'summary.json'), 'utf8')) as {
      rows: number;
      rejected: number;
      models: { model: string; winRate: number; meanRank: number }[];
      metrics: { metric: string; spearman: number; oracleRate: number; selected: number; upperBound: number }[];
      judgements: { decisive: number; agreement: number; ties: number };
    };
    expect(summary.rows).toBe(40);
    expect(summary.rejected).toBe(0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const model of summary.models) {
      const at = clean.rows.map((r) => r.ranks[r.models.indexOf(model.model)]!);
      const best = clean.rows.map((r) => Math.min(...r.ranks));
      expect(model.winRate).toBeCloseTo(at.filter((rank, i) => rank === best[i]).length / 40, 12);
      expect(model.meanRank).toBeCloseTo(mean(at), 12);
    }
    // Average ranks by counting (1 + smaller + (equal - 1) / 2), then Pearson.
    const avgRanks = (xs: number[]) => xs.map((x) => 1 + xs.filter((y) => y < x).length + (xs.filter((y) => y === x).length - 1) / 2);
    const pearson = (a: number[], b: number[]) => {
      const ma = mean(a);
      const mb = mean(b);
      const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i]! - mb), 0);
      const va = a.reduce((s, x) => s + (x - ma) ** 2, 0);
      const vb = b.reduce((s, x) => s + (x - mb) ** 2, 0);
      return va === 0 || vb === 0 ? null : cov / Math.sqrt(va * vb);
    };
    for (const metric of summary.metrics) {
      const rhos: number[] = [];
      const hits: number[] = [];
      const selected: number[] = [];
      const bounds: number[] = [];
      sample.forEach((row, i) => {
        const values = row.candidates.map((c) => c.scores[metric.metric]!);
        const ranks = clean.rows[i]!.ranks;
        const rho = pearson(avgRanks(ranks.map((r) => -r)), avgRanks(values));
        if (rho !== null) rhos.push(rho);
        const pick = ranks.indexOf(1);
        selected.push(values[pick]!);
        bounds.push(Math.max(...values));
        hits.push(values[pick] === Math.max(...values) ? 1 : 0);
      });
      expect(metric.spearman).toBeCloseTo(mean(rhos), 12);
      expect(metric.oracleRate).toBeCloseTo(mean(hits), 12);
      expect(metric.selected).toBeCloseTo(mean(selected), 12);
      expect(metric.upperBound).toBeCloseTo(mean(bounds), 12);
    }
    expect(summary.metrics.map((m) => m.metric)).toEqual(['rouge1', 'rouge2', 'bleu']);
    // The synth ranker knows these families: its order correlates with the metrics.
    for (const metric of summary.metrics) expect(metric.spearman).toBeGreaterThan(0.2);

    let decisive = 0;
    let agreed = 0;
    let ties = 0;
    sample.forEach((row, i) => {
      const out = clean.rows[i]!;
      for (const [key, verdict] of Object.entries(row.cmp_results ?? {})) {
        if (verdict.startsWith('Same')) {
          ties++;
          continue;
        }
        const [a, b] = key.split(',').map((m) => out.ranks[out.models.indexOf(m)]!) as [number, number];
        decisive++;
        const winner = verdict === 'A is better' ? [a, b] : [b, a];
        agreed += winner[0]! < winner[1]! ? 1 : winner[0] === winner[1] ? 0.5 : 0;
      }
    });
    expect(summary.judgements).toEqual({ decisive, agreement: agreed / decisive, ties });
  });

  it('writes every pair of different ranks and different texts, chosen ranked above rejected, with the score margin', () => {
    const pairs = lines<{ row: number; prompt: string; chosen: string; rejected: string; margin: number; chosen_model: string; rejected_model: string }>(
      join(work, 'pairs.jsonl'),
    );
    let expected = 0;
    sample.forEach((row, i) => {
      const out = clean.rows[i]!;
      const texts = row.candidates.map((c) => c.text);
      for (let a = 0; a < texts.length; a++) for (let b = 0; b < texts.length; b++) if (out.ranks[a]! < out.ranks[b]! && texts[a] !== texts[b]) expected++;
    });
    expect(pairs).toHaveLength(expected);
    for (const pair of pairs) {
      const row = sample[pair.row - 1]!;
      const out = clean.rows[pair.row - 1]!;
      const c = out.models.indexOf(pair.chosen_model);
      const r = out.models.indexOf(pair.rejected_model);
      expect(pair.prompt).toBe(row.instruction + row.input);
      expect([pair.chosen, pair.rejected]).toEqual([row.candidates[c]!.text, row.candidates[r]!.text]);
      expect(out.ranks[c]).toBeLessThan(out.ranks[r]!);
      expect(pair.margin).toBeCloseTo(out.scores[c]! - out.scores[r]!, 12);
    }
  });
});

describe('resume', () => {
  it('after SIGKILL mid-file: the same bytes as a clean run, and no row ranked twice', async () => {
    const out = join(work, 'killed.jsonl');
    const trace = join(work, 'killed-trace.jsonl');
    const child = spawn('node', [join(outDir, 'bin.js'), 'eval', SAMPLE, '--ranker', RANKER, '--out', out, '--chunk', '1', '--trace', trace], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill once a few rows are written (the condition, polled; not a fixed sleep).
    await expect
      .poll(() => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 1 : 0), { timeout: 60_000, interval: 10 })
      .toBeGreaterThanOrEqual(5);
    child.kill('SIGKILL');
    await exited;
    const written = readFileSync(out, 'utf8');
    const complete = written.slice(0, written.lastIndexOf('\n') + 1);
    const lastRow = complete === '' ? 0 : (JSON.parse(complete.trim().split('\n').at(-1)!) as OutRow).row;
    expect(lastRow).toBeLessThan(40); // killed mid-file
    expect(clean.text.startsWith(complete)).toBe(true);
    const rankedBefore = tracedRows(trace);

    const resumed = evalRun([SAMPLE, '--ranker', RANKER, '--out', out, '--chunk', '3', '--trace', trace, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${out} after row ${lastRow}`);
    expect(readFileSync(out, 'utf8')).toBe(clean.text);
    const rankedAfter = tracedRows(trace).slice(rankedBefore.length);
    expect(rankedAfter).toEqual(Array.from({ length: 40 - lastRow }, (_, i) => lastRow + 1 + i));
  });

  it('stops on Ctrl-C (SIGINT) with exit code 130, keeping only complete lines', async () => {
    const out = join(work, 'interrupted.jsonl');
    const child = spawn('node', [join(outDir, 'bin.js'), 'eval', SAMPLE, '--ranker', RANKER, '--out', out, '--chunk', '1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect
      .poll(() => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 1 : 0), { timeout: 60_000, interval: 10 })
      .toBeGreaterThanOrEqual(3);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/--resume/);
    const written = readFileSync(out, 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    expect(written.split('\n').length - 1).toBeLessThan(40);
    expect(clean.text.startsWith(written)).toBe(true);
  });

  it('drops a torn last line and redoes only that row and the rest', () => {
    const out = join(work, 'torn.jsonl');
    const trace = join(work, 'torn-trace.jsonl');
    const kept = clean.text.split('\n').slice(0, 7);
    const eighth = clean.text.split('\n')[7]!;
    writeFileSync(out, kept.join('\n') + '\n' + eighth.slice(0, 40));
    const run = evalRun([SAMPLE, '--ranker', RANKER, '--out', out, '--resume', '--trace', trace]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/dropped a torn last line/);
    expect(readFileSync(out, 'utf8')).toBe(clean.text);
    expect(tracedRows(trace)).toEqual(Array.from({ length: 33 }, (_, i) => 8 + i));
  });
});

describe('bad rows and options', () => {
  it('reports bad rows with their line and field in the rejects file, and ranks the rest', () => {
    const file = join(work, 'mixed.jsonl');
    const good = sample.slice(0, 3).map((row) => JSON.stringify(row));
    const onlyTwo = { ...sample[3]!, candidates: sample[3]!.candidates.slice(3), cmp_results: undefined };
    writeFileSync(
      file,
      [
        good[0],
        'not json',
        JSON.stringify({ ...sample[4], candidates: [{ model: 'a', text: 'x' }, { model: 'b' }] }),
        '',
        good[1],
        JSON.stringify({ ...sample[5], cmp_results: { 'strong-13b,gpt-9': 'A is better' } }),
        JSON.stringify(onlyTwo),
        good[2],
      ].join('\n') + '\n',
    );
    const out = join(work, 'mixed-out.jsonl');
    const run = evalRun([file, '--ranker', RANKER, '--out', out, '--models', 'strong-13b,steady-7b,mixed-7b']);
    expect(run.status, run.stderr).toBe(0);
    expect(lines<OutRow>(out).map((r) => [r.row, r.id, r.models.length])).toEqual([
      [1, 'sample-000', 3],
      [4, 'sample-001', 3],
      [7, 'sample-002', 3],
    ]);
    const rejects = lines<{ row: number; line: number; field: string | null; message: string }>(join(work, 'mixed-out.rejects.jsonl'));
    expect(rejects.map((r) => [r.row, r.line, r.field])).toEqual([
      [2, 2, null],
      [3, 3, 'candidates[1].text'],
      [5, 6, 'cmp_results["strong-13b,gpt-9"]'],
      [6, 7, 'candidates'],
    ]);
    expect(rejects[3]!.message).toMatch(/0 candidate\(s\) from --models/);
    expect(run.stderr).toMatch(/3 rows ranked \(full\), 4 rejected/);
    expect(run.stderr).toContain(`4 rejected row(s) in ${join(work, 'mixed-out.rejects.jsonl')}`);

    // Results on stdout and no rejects file: the bad rows are reported on stderr.
    const toStdout = evalRun([file, '--ranker', RANKER, '--limit', '3']);
    expect(toStdout.status, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.trim().split('\n')).toHaveLength(1);
    expect(toStdout.stderr).toContain('eval: rejected row 2 (line 2): is not valid JSON');
    expect(toStdout.stderr).toContain('eval: rejected row 3 (line 3), field "candidates[1].text": is missing');
  });

  it('runs a budget strategy (tournament): fewer pairs than full, winners only, no mean rank', () => {
    const summaryPath = join(work, 'tournament.json');
    const run = evalRun([SAMPLE, '--ranker', RANKER, '--strategy', 'tournament', '--limit', '10', '--summary', summaryPath]);
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Omit<OutRow, 'scores'> & { scores: null });
    expect(out).toHaveLength(10);
    for (const row of out) {
      expect(row.scores).toBeNull();
      expect(row.ranks.filter((rank) => rank === 1)).toHaveLength(1);
    }
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { pairsRun: number; models: { meanRank: number | null }[] };
    expect(summary.models.every((m) => m.meanRank === null)).toBe(true);
    expect(summary.pairsRun).toBeLessThanOrEqual(10 * 2 * 4); // 2(N-1) per row, N = 5
  });

  it('exits 2 with the usage on a bad command line (the checks themselves: eval-parts.test.ts)', () => {
    const run = evalRun(['missing.jsonl', '--ranker', RANKER]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no such file: missing.jsonl\nusage: llm-blender-web eval/);
  });
});

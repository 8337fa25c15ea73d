// The demo page as a user drives it, on the bundled default models: edit candidates, rank (full
// and bubble), compare two, rank & fuse with the answer streaming in (nothing below moves),
// a batch file in and the results files out, a long batch cancelled, then the next visit
// served from the cache, the cache panel, a model URL with another dtype, and a bad folder.
// One page for the whole flow: starting ORT and loading models is the slow part.
// Screenshots at 1280×800 and 375 px go to test-results/screenshots/.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { parseCsv } from '../src/datasets/csv';
import { DEFAULT_MODELS } from '../src/demo/default-models';

// Expectations follow src/demo/default-models.ts, whichever models it ships.
const RANKER = `/${DEFAULT_MODELS.ranker}`;
const FUSER = `/${DEFAULT_MODELS.fuser}`;
const SIZE = String.raw`[\d.]+ (B|kB|MB|GB)`;

const FIXTURES = fileURLToPath(new URL('./fixtures/demo/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

// Generous for a busy machine: a model load there takes a minute, on an idle one seconds.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let context: BrowserContext;
let page: Page;
const requests: string[] = [];
/** Paths of model files fetched (the manifest is always asked for: it says what changed). */
const modelFiles: string[] = [];
/** Console errors and navigations, attached when a test fails (a reload mid-run shows here). */
const pageLog: string[] = [];

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/models/') && !path.endsWith('/manifest.json')) modelFiles.push(path);
  });
  // Every text the load status shows, from the first load on.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __loadTexts: string[] }).__loadTexts = seen;
    document.addEventListener('DOMContentLoaded', () => {
      const status = document.getElementById('load-status')!;
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
    });
  });
  page = await context.newPage();
  page.on('console', (message) => message.type() === 'error' && pageLog.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => pageLog.push(`pageerror: ${error.message}`));
  page.on('framenavigated', (frame) => frame === page.mainFrame() && pageLog.push(`navigated: ${frame.url()}`));
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('page-log', { body: pageLog.join('\n'), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await context.close();
});

const loadTexts = () => page.evaluate(() => (window as unknown as { __loadTexts: string[] }).__loadTexts);

/** Waits for the load status to say `pattern`: loading runs ORT's start-up, slow on a busy machine. */
async function loaded(pattern: RegExp): Promise<void> {
  await expect(page.locator('#load-status')).toHaveText(pattern, { timeout: 110_000 });
}

async function downloaded(linkId: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(linkId).click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

test('edit candidates, rank, compare two, rank & fuse without layout jumps', async ({ baseURL }, testInfo) => {
  await page.goto('/');
  await loaded(new RegExp(`^Ranker: downloaded ${SIZE} \\(\\d+ files\\) · Fuser: downloaded ${SIZE} \\(\\d+ files\\) · ready in `));
  await expect(page.locator('#load-bar')).toHaveJSProperty('value', 1);
  expect(await loadTexts()).toContainEqual(
    expect.stringMatching(new RegExp(`^Downloading the ranker: onnx/model_quantized\\.onnx — ${SIZE} of ${SIZE} \\(\\d+%\\)`)),
  );
  expect(modelFiles).toContain(`${RANKER}/onnx/model_quantized.onnx`);
  await expect(page.locator('#backend-badge')).toHaveText(/^WASM × \d+ threads?$/);
  await expect(page.locator('#backend-reason')).toContainText('WebGPU');
  await expect(page.locator('#loaded-models')).toContainText(DEFAULT_MODELS.label);
  await expect(page.locator('#models-notice')).toHaveText(DEFAULT_MODELS.notice);

  // A preset, then edits: add one by keyboard, remove one, paste two more.
  await page.locator('#preset').selectOption({ label: 'With an instruction' });
  await expect(page.locator('#instruction')).toHaveValue('Answer in one short sentence.');
  await expect(page.locator('#candidate-list textarea')).toHaveCount(4);
  await page.locator('#add-candidate').click();
  await expect(page.locator('#candidate-5')).toBeFocused();
  await page.keyboard.type('Because of the way air molecules scatter sunlight.');
  await page.getByRole('button', { name: 'Remove candidate 4' }).click();
  await expect(page.locator('#candidate-list textarea')).toHaveCount(4);
  await expect(page.getByLabel('Candidate 4', { exact: true })).toHaveValue('Because of the way air molecules scatter sunlight.');
  await page.locator('summary', { hasText: 'Paste several at once' }).click();
  await page.locator('#paste-area').fill('Light.\n\nThe sky\nis blue.\n\n\n');
  await page.locator('#paste-add').click();
  await expect(page.locator('#paste-status')).toHaveText('Added 2 candidates.');
  await expect(page.getByLabel('Candidate 6', { exact: true })).toHaveValue('The sky\nis blue.');

  // Rank from the keyboard: Enter in the instruction field submits the form.
  await page.locator('#instruction').press('Enter');
  await expect(page.locator('#rank-status')).toContainText('Ranked 6 candidates (full): 30 pairs in');
  const items = page.locator('#ranking li');
  await expect(items).toHaveCount(6);
  await expect(items.first().locator('.rank-badge')).toHaveText('1');
  await expect(items.first().locator('.score')).toHaveText(/^score -?\d+\.\d{3} · #\d$/);
  await expect(page.locator('#timings')).toHaveText(/models loaded in .* · 30 pairs in .* \(.* per pair\) · total /);
  // The matrix: 6 x 6, 30 values, each focusable with its value in its label.
  const cells = page.locator('#heatmap td[tabindex="0"]');
  await expect(cells).toHaveCount(30);
  await cells.first().focus();
  await expect(cells.first()).toBeFocused();
  await expect(cells.first()).toHaveAttribute('aria-label', /^candidate 1 versus candidate 2: logit -?\d+\.\d\d$/);

  // Bubble finds only the best: one rank 1, no matrix.
  await page.locator('#strategy').selectOption('bubble');
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 6 candidates (bubble): 10 pairs in');
  await expect(page.locator('#ranking .rank-badge', { hasText: '1' })).toHaveCount(1);
  await expect(page.locator('#heatmap')).toContainText('No matrix with the bubble strategy');
  // Every pair bubble needs was run by the full rank: the blender's pair cache answers them all.
  await expect(page.locator('#rank-status')).toContainText(`: 0 run (full rank: ${6 * 5}), 10 from the cache.`);
  // The other strategies, each explained under the select; all their pairs are cached too.
  for (const strategy of ['tournament', 'sort', 'adaptive']) {
    await page.locator('#strategy').selectOption(strategy);
    await expect(page.locator('#strategy-hint')).toContainText(new RegExp(`^${strategy[0]!.toUpperCase()}${strategy.slice(1)} `));
    await page.locator('#rank').click();
    await expect(page.locator('#rank-status')).toContainText(
      new RegExp(`^Ranked 6 candidates \\(${strategy}\\): \\d+ pairs in .*: 0 run \\(full rank: 30\\), \\d+ from the cache\\.$`),
    );
    await expect(page.locator('#ranking .rank-badge', { hasText: /^1$/ })).toHaveCount(1);
  }
  await page.locator('#strategy').selectOption('full');

  // Compare two: both orders of one pair.
  await page.locator('#compare-a').selectOption({ index: 0 });
  await page.locator('#compare-b').selectOption({ index: 2 });
  await page.locator('#compare').click();
  await expect(page.locator('#compare-result')).toContainText(
    /(is better|A tie).* — M\(A,B\) = -?\d+\.\d{3}, M\(B,A\) = -?\d+\.\d{3}, difference .* \(A = #1, B = #3\)/,
  );
  await expect(page.locator('#rank-status')).toContainText('Compared #1 and #3 in both orders');

  // Rank & Fuse: the answer streams in; the panels below stay where they are.
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 6');
  await page.evaluate(() => {
    const top = () => document.getElementById('batch-panel')!.getBoundingClientRect().top + window.scrollY;
    const tops = [top()];
    (window as unknown as { __tops: number[] }).__tops = tops;
    new MutationObserver(() => tops.push(top())).observe(document.getElementById('results')!, { subtree: true, childList: true, characterData: true });
  });
  await page.locator('#fuse').click();
  await expect(page.locator('#rank-status')).toContainText('fused the best 3 in', { timeout: 60_000 });
  await expect(page.locator('#fused')).not.toBeEmpty();
  await expect(page.locator('#fused')).toHaveAttribute('aria-busy', 'false');
  const tops = await page.evaluate(() => (window as unknown as { __tops: number[] }).__tops);
  expect(tops.length).toBeGreaterThan(3);
  expect(new Set(tops)).toEqual(new Set([tops[0]]));
  await expect(page.locator('#timings')).toHaveText(/30 pairs in .* · fused in .* · total /);

  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}demo-desktop-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  // Readable at 375 px: nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: `${SCREENSHOTS}demo-mobile-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await testInfo.attach('desktop', { path: `${SCREENSHOTS}demo-desktop-1280.png`, contentType: 'image/png' });
  await testInfo.attach('375px', { path: `${SCREENSHOTS}demo-mobile-375.png`, contentType: 'image/png' });

  const origin = new URL(baseURL!).origin;
  expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
});

test('batch: a CSV file in, a summary per model, results out as JSONL and CSV', async () => {
  await page.locator('#batch-file').setInputFiles(`${FIXTURES}runs.csv`);
  await expect(page.locator('#batch-status')).toHaveText(
    'runs.csv: 4 ranking rows; 3 candidate columns (“gpt-4”, “llama, 13b”, “vicuna”); 1 bad row (listed below, skipped).',
  );
  await expect(page.locator('#batch-problems li')).toHaveText(['row 4 (line 6): has 3 fields, the header has 5']);
  await page.locator('#batch-run').click();
  await expect(page.locator('#batch-status')).toContainText(/^Done: 4 rows in /);
  await expect(page.locator('#batch-bar')).toHaveJSProperty('value', 1);
  const summary = page.locator('#batch-summary table');
  await expect(page.locator('#batch-summary .summary-note')).toContainText('4 rows ran, 1 did not.');
  await expect(summary.locator('tbody th')).toHaveText(['gpt-4', 'llama, 13b', 'vicuna']);
  // Rows per model: llama has no answer in one row.
  await expect(summary.locator('tbody tr td:nth-child(2)')).toHaveText(['4', '3', '4']);
  const wins = (await summary.locator('tbody tr td:nth-child(3)').allTextContents()).map(Number);
  expect(wins.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(4); // every row has a best

  const jsonl = await downloaded('#download-jsonl');
  expect(jsonl.name).toBe('runs-results.jsonl');
  const lines = jsonl.text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.map((line) => line.row)).toEqual([1, 2, 3, 4, 5]);
  expect(lines[0]).toMatchObject({
    input: 'hello, how are you!',
    models: ['gpt-4', 'llama, 13b', 'vicuna'],
    candidates: ['hi! I am fine, thanks!', 'I\'m "fine", thanks', 'bye!'],
  });
  expect((lines[0]!.ranks as number[]).slice().sort()).toEqual([1, 2, 3]);
  expect(lines[2]).toMatchObject({ models: ['gpt-4', 'vicuna'], candidates: ['Rayleigh scattering.', '<img src=x onerror="window.__pwned=1">'] });
  expect(lines[3]).toEqual({ row: 4, line: 6, error: 'has 3 fields, the header has 5', field: null });

  const csv = await downloaded('#download-csv');
  expect(csv.name).toBe('runs-results.csv');
  const records = parseCsv(csv.text).records.map((record) => record.fields);
  expect(records[0]).toEqual([
    'row',
    'instruction',
    'input',
    'gpt-4',
    'llama, 13b',
    'vicuna',
    'rank: gpt-4',
    'rank: llama, 13b',
    'rank: vicuna',
    'score: gpt-4',
    'score: llama, 13b',
    'score: vicuna',
    'best',
    'error',
  ]);
  expect(records).toHaveLength(6);
  expect(records[2]!.slice(0, 6)).toEqual(['2', '', 'I love you!', 'I love you too!', 'I hate you!\r\nReally.', "Thanks! You're a good guy!"]);
  expect(records[3]![4]).toBe(''); // llama's empty cell stays empty, its rank too
  expect(records[3]![7]).toBe('');
  expect(records[4]!.at(-1)).toBe('has 3 fields, the header has 5');
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await page.locator('#batch-panel').screenshot({ path: `${SCREENSHOTS}demo-batch-1280.png` });

  // A/B pairs from JSON Lines: one result per pair, a summary of a vs b.
  await page.locator('#batch-file').setInputFiles(`${FIXTURES}pairs.jsonl`);
  await expect(page.locator('#batch-status')).toContainText('pairs.jsonl: 3 A/B pairs; 1 bad row');
  await page.locator('#batch-run').click();
  await expect(page.locator('#batch-status')).toContainText(/^Done: 3 rows in /);
  await expect(summary.locator('tbody th')).toHaveText(['a', 'b']);
  const pairs = (await downloaded('#download-jsonl')).text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(pairs.map((pair) => pair.winner ?? pair.error)).toEqual([
    expect.stringMatching(/^(a|b|tie)$/),
    expect.stringMatching(/^(a|b|tie)$/),
    'is missing (an A/B pair needs a and b)',
    expect.stringMatching(/^(a|b|tie)$/),
  ]);
});

test('a long batch cancelled keeps its partial results and leaves the page usable', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ input: `question ${i}`, candidates: { m1: `answer one ${i}`, m2: `answer two ${i}`, m3: `a third answer ${i}` } }),
  );
  await page.locator('#batch-file').setInputFiles({ name: 'long.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(rows.join('\n')) });
  await expect(page.locator('#batch-status')).toContainText('long.jsonl: 3000 ranking rows');
  await page.locator('#batch-run').click();
  // Past row 20, the first calls' rows are done: there is something to keep.
  await expect(page.locator('#batch-status')).toHaveText(/^Row ([2-9]\d|\d{3,}) of 3000 \(\d+%\)/);
  await expect(page.locator('#rank')).toBeDisabled(); // one thing at a time
  await page.locator('#batch-cancel').click();
  await expect(page.locator('#batch-status')).toHaveText(/^Cancelled after \d+ of 3000 rows .*; the summary and files cover those rows\.$/);
  const ran = Number((await page.locator('#batch-status').textContent())!.match(/after (\d+)/)![1]);
  expect(ran).toBeGreaterThanOrEqual(16);
  expect(ran).toBeLessThan(3000);
  await expect(page.locator('#batch-cancel')).toBeDisabled();
  const partial = await downloaded('#download-jsonl');
  expect(partial.name).toBe('long-results-partial.jsonl');
  expect(partial.text.trimEnd().split('\n')).toHaveLength(ran);

  // Usable at once: rank again.
  await page.locator('#preset').selectOption({ label: 'Greeting (README)' });
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 3 candidates (full): 6 pairs in');
});

test('the next visit is served from the cache: no model file is fetched again', async () => {
  await expect(page.locator('#cache-list li.cached')).toHaveCount(2);
  await expect(page.locator('#cache-list')).toContainText(RANKER);
  await expect(page.locator('#cache-usage')).toHaveText(new RegExp(`^${SIZE} of models cached\\.`));
  modelFiles.length = 0;
  await page.reload();
  await loaded(/^Ranker: from cache \(\d+ files\) · Fuser: from cache \(\d+ files\) · ready in /);
  expect(await loadTexts()).toContainEqual(expect.stringMatching(/^The ranker: .* from cache$/));
  expect(modelFiles).toEqual([]);
});

test('the cache panel deletes and clears; a model URL loads with another dtype; a bad folder falls back', async ({ baseURL }) => {
  await expect(page.locator('#cache-list')).toContainText('in use');
  await page.getByRole('button', { name: `Delete ${FUSER} from the cache` }).click();
  await expect(page.locator('#cache-status')).toHaveText(`Deleted ${FUSER} from the cache.`);
  await expect(page.locator('#cache-list li.cached')).toHaveCount(1);
  await expect(page.locator('#cache-list')).not.toContainText(FUSER);
  await page.locator('#cache-clear').click();
  await expect(page.locator('#cache-list')).toHaveText('Nothing cached.');
  await expect(page.locator('#cache-usage')).toHaveText(/^0 B of models cached\./);

  // A model folder as an absolute URL (this site's own), no fuser; changing the dtype loads it.
  modelFiles.length = 0;
  await page.locator('#ranker-url').fill(`${baseURL}${RANKER}/`);
  await page.locator('#fuser-url').fill('');
  await page.locator('#dtype').selectOption('fp32');
  await loaded(new RegExp(`^Ranker: downloaded ${SIZE} \\(4 files\\) · ready in `));
  expect(await loadTexts()).toContainEqual(expect.stringMatching(new RegExp(`^Downloading the ranker: onnx/model\\.onnx — ${SIZE} of ${SIZE} \\(100%\\)`)));
  expect(modelFiles.sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'].map((file) => `${RANKER}/${file}`));
  await expect(page.locator('#runtime-details')).toContainText('onnx/model.onnx, fp32 on wasm');
  await expect(page.locator('#loaded-models')).toContainText('Fuser: none (no fusion)');
  await expect(page.locator('#fuse')).toBeDisabled();
  await expect(page.locator('#cache-list li.cached')).toHaveCount(1);

  // A folder that is not there: the page says why and goes back to what worked.
  await page.locator('#ranker-url').fill('models/no-such-model');
  await page.locator('#ranker-url').press('Enter');
  await loaded(/^Could not load models\/no-such-model \(device auto, dtype fp32\): .*manifest\.json.*\. Back on the previous models\.$/);
  await expect(page.locator('#load-bar')).toHaveAttribute('data-state', 'failed');
  await expect(page.locator('#ranker-url')).toHaveValue(`${baseURL}${RANKER}/`);
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 3 candidates (full): 6 pairs in');
});

test('Cancel loading stops a download midway; the previous models come back and rank', async ({ baseURL }) => {
  // Hold the q8 graph's download open until the test has pressed Cancel.
  let requested!: () => void;
  const held = new Promise<void>((resolve) => (requested = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const graph = `**${RANKER}/onnx/model_quantized.onnx`;
  await page.route(graph, async (route) => {
    requested();
    await released;
    await route.abort().catch(() => undefined); // the page may have dropped the request already
  });
  try {
    await page.locator('#dtype').selectOption('q8');
    await held;
    await expect(page.locator('#cancel-load')).toBeEnabled();
    await page.locator('#cancel-load').click();
    await loaded(new RegExp(`^Cancelled loading ${baseURL}${RANKER}/ \\(device auto, dtype q8\\)\\. Back on the previous models\\.$`));
  } finally {
    release();
    await page.unroute(graph);
  }
  await expect(page.locator('#dtype')).toHaveValue('fp32');
  await expect(page.locator('#cancel-load')).toBeDisabled();
  await expect(page.locator('#runtime-details')).toContainText('onnx/model.onnx, fp32 on wasm');
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 3 candidates (full): 6 pairs in');
});

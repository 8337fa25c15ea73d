// Accessibility of the demo page in Chromium: an axe audit (WCAG 2.0/2.1 A and AA rules) of
// every state a visitor reaches (loaded, ranked, fused, batch, cache), each at 1280 px and at
// 375 px, and the page driven by the keyboard alone (every control reachable with Tab and
// showing a visible focus, ranking and fusing with Enter, the matrix cells announcing their
// values). Screenshots of the fused answer at both widths go to test-results/screenshots/.
// One page for the whole file: starting ORT and loading the models is the slow part.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';

const FIXTURES = fileURLToPath(new URL('./fixtures/demo/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context.close();
});

/** Violations as readable lines: rule, impact, and where (the first few nodes' selectors and axe's summary). */
async function violations(): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return result.violations.flatMap((violation) =>
    violation.nodes.slice(0, 5).map((node) => `${violation.id} (${violation.impact ?? 'n/a'}): ${node.target.join(' ')} — ${node.failureSummary ?? ''}`),
  );
}

/** Violations found so far, by state and width (the test checks them all at its end, so one run lists every problem). */
const found: string[] = [];

/** The axe audit of the page as it is now, at desktop width and at 375 px. */
async function auditBothWidths(state: string): Promise<void> {
  found.push(...(await violations()).map((line) => `${state}, 1280 px: ${line}`));
  await page.setViewportSize(PHONE);
  found.push(...(await violations()).map((line) => `${state}, 375 px: ${line}`));
  await page.setViewportSize(DESKTOP);
}

/** Presses Tab until the element matching `selector` has focus (fails if 300 presses do not reach it). */
async function tabTo(selector: string): Promise<void> {
  const target = page.locator(selector).first();
  for (let presses = 0; presses < 300; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('no axe violations when loaded, ranked, fused, after a batch and with the cache listed, at both widths', async ({}, testInfo) => {
  await page.goto('/');
  await expect(page.locator('#load-status')).toHaveText(/ready in /, { timeout: 110_000 });
  await expect(page.locator('#cache-list li.cached')).not.toHaveCount(0);
  await auditBothWidths('loaded (cache listed)');

  await page.locator('#preset').selectOption({ label: 'Greeting (README)' });
  await page.locator('#rank').click();
  await expect(page.locator('#rank-status')).toContainText('Ranked 3 candidates (full)');
  await expect(page.locator('#heatmap td[tabindex="0"]')).toHaveCount(6);
  await auditBothWidths('ranked');

  // Fused: an example whose candidates each hold part of the answer (the bundled fuser merges them).
  await page.locator('#preset').selectOption({ label: 'Merge partial answers (fuser)' });
  await page.locator('#fuse').click();
  await expect(page.locator('#rank-status')).toContainText('fused the best 3 in', { timeout: 60_000 });
  await expect(page.locator('#fused')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('#fused')).not.toBeEmpty();
  await auditBothWidths('fused');

  // The fused answer at both widths, for a person to look at.
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const [name, viewport] of [
    ['1280', DESKTOP],
    ['375', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.locator('#fused').scrollIntoViewIfNeeded();
    const path = `${SCREENSHOTS}demo-fused-${name}.png`;
    await page.locator('#results').screenshot({ path });
    await testInfo.attach(`fused answer, ${name} px`, { path, contentType: 'image/png' });
  }
  await page.setViewportSize(DESKTOP);

  await page.locator('#batch-file').setInputFiles(`${FIXTURES}runs.csv`);
  await expect(page.locator('#batch-problems li')).toHaveCount(1);
  await page.locator('#batch-run').click();
  await expect(page.locator('#batch-status')).toContainText(/^Done: 4 rows in /);
  await expect(page.locator('#batch-summary table')).toBeVisible();
  await auditBothWidths('batch done (summary, problems, downloads)');

  await page.locator('#cache-refresh').click();
  await expect(page.locator('#cache-list li.cached')).not.toHaveCount(0);
  await expect(page.locator('#cache-refresh')).toBeEnabled();
  await auditBothWidths('cache refreshed');
  expect(found).toEqual([]);
});

test('keyboard only: every control is reachable with Tab and shows its focus; rank, fuse and read the matrix', async () => {
  await page.goto('/');
  await expect(page.locator('#load-status')).toHaveText(/ready in /, { timeout: 110_000 });
  await expect(page.locator('#rank')).toBeEnabled();

  // Rank a preset chosen with the arrow keys, then walk every control of the ranked page.
  await tabTo('#preset');
  await page.keyboard.press('ArrowDown'); // Greeting (README) -> Love (README)
  await expect(page.locator('#input')).toHaveValue('I love you!');
  await tabTo('#rank');
  await page.keyboard.press('Enter');
  await expect(page.locator('#rank-status')).toContainText('Ranked 3 candidates (full)');
  await expect(page.locator('#heatmap td[tabindex="0"]')).toHaveCount(6);

  // Every enabled, visible control (and every focusable matrix cell) gets a number; Tab from
  // the top of the page must reach each of them, each with a visible focus indicator.
  const expected = await page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const controls = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (element) => !(element as HTMLButtonElement).disabled && element.checkVisibility() && element.tabIndex >= 0,
    );
    controls.forEach((element, index) => (element.dataset.kb = String(index)));
    return controls.map(
      (element) => `${element.tagName.toLowerCase()}#${element.id || element.getAttribute('aria-label') || element.textContent?.trim().slice(0, 30)}`,
    );
  });
  expect(expected.length).toBeGreaterThan(20);
  await page.locator('h1').click(); // Tab now starts from the top of the page
  const reached = new Map<string, { visible: boolean; name: string }>();
  for (let presses = 0; presses < expected.length + 20; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      return { kb: element.dataset.kb ?? '', visible: element.matches(':focus-visible') && outlined, name: element.id || element.tagName };
    });
    if (focused === null) break; // past the last control
    if (focused.kb !== '') reached.set(focused.kb, { visible: focused.visible, name: focused.name });
  }
  const missed = expected.filter((_, index) => !reached.has(String(index)));
  expect(missed, 'controls Tab never reached').toEqual([]);
  const unmarked = [...reached.entries()].filter(([, focus]) => !focus.visible).map(([index]) => expected[Number(index)]);
  expect(unmarked, 'controls focused without a visible focus indicator').toEqual([]);

  // A disclosure opens from the keyboard, and its controls join the Tab order.
  await tabTo('.paste-many summary');
  await page.keyboard.press('Enter');
  await expect(page.locator('.paste-many')).toHaveAttribute('open', '');
  await page.keyboard.press('Tab');
  await expect(page.locator('#paste-area')).toBeFocused();

  // The matrix cells: each reached by Tab announces its value.
  await tabTo('#heatmap td[tabindex="0"]');
  const cell = page.locator('#heatmap td[tabindex="0"]').first();
  await expect(cell).toBeFocused();
  const value = (await cell.textContent())!;
  expect(value).toMatch(/^-?\d+\.\d\d$/);
  await expect(cell).toHaveAccessibleName(`candidate 1 versus candidate 2: logit ${value}`);

  // Rank & Fuse from the keyboard; the answer region is focusable and says when it is done.
  await tabTo('#fuse');
  await page.keyboard.press('Enter');
  await expect(page.locator('#rank-status')).toContainText('fused the best 3 in', { timeout: 60_000 });
  await tabTo('#fused');
  await expect(page.locator('#fused')).toBeFocused();
  await expect(page.locator('#fused')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('#fused')).not.toBeEmpty();
});

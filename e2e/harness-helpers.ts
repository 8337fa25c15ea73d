// Shared by the page-runtime e2e specs: the harness page and the bundled tiny ranker.
import { expect, type Page } from '@playwright/test';

export const MODEL = '/models/tiny-pairrm';

export async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/harness.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

/** Model files requested (everything under the model folder but its manifest). */
export function modelFileRequests(paths: readonly string[]): string[] {
  return paths.filter((path) => path.startsWith(`${MODEL}/`) && !path.endsWith('/manifest.json'));
}

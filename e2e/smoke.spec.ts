import { expect, test } from '@playwright/test';
import { DEFAULT_MODELS } from '../src/demo/default-models';
import { recordWasmFetches } from './ort-wasm-files';

test('the demo loads the bundled models, ranks, fuses, and no request leaves the origin', async ({ page, context, baseURL }, testInfo) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const wasmFetched = recordWasmFetches(context);

  await page.goto('/');
  const badge = page.locator('#backend-badge');
  const expected = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
  // Loading includes compiling ORT's wasm in a fresh browser profile: allow for a slow machine.
  // Device 'auto' never picks a software adapter: SwiftShader's WebGPU means WASM too.
  await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 90_000 });
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  if (expected === 'webgpu') {
    await expect(page.locator('#backend-reason')).toContainText('the only WebGPU adapter is a software one (SwiftShader)');
    // Asked for, WebGPU still runs on it: the rest of the test runs there.
    await page.locator('#device').selectOption('webgpu');
    await expect(badge).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
    await expect(page.locator('#backend-reason')).toContainText('fallback adapter');
  } else {
    await expect(badge).toHaveText(/^WASM × \d+ threads?$/);
    await expect(page.locator('#backend-reason')).toContainText(/^— .*WebGPU/);
  }

  // Rank three candidates, one of them an HTML payload: it must show as text and run nothing.
  const payload = '<img src=x onerror="window.__pwned = true">';
  await page.locator('summary', { hasText: 'Paste several at once' }).click();
  await page.locator('#paste-area').fill(['hi! I am fine, thanks!', payload, 'bye!'].join('\n\n'));
  await page.locator('#paste-replace').click();
  await expect(page.locator('#candidate-list textarea')).toHaveCount(3);
  await expect(page.locator('#rank')).toBeEnabled();
  await page.locator('#rank').click();
  const items = page.locator('#ranking li');
  await expect(items).toHaveCount(3);
  const texts = await items.locator('.candidate-text').allTextContents();
  expect(texts.slice().sort()).toEqual(['bye!', 'hi! I am fine, thanks!', payload].sort());
  expect(await page.locator('#ranking img').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
  await expect(page.locator('#rank-status')).toContainText('6 pairs');
  // The pairwise matrix: 3 x 3 with 6 values, each focusable and labelled.
  await expect(page.locator('#heatmap td[tabindex="0"]')).toHaveCount(6);

  // Rank & Fuse streams the fused answer of the best candidates.
  await page.locator('#fuse').click();
  await expect(page.locator('#rank-status')).toContainText('fused the best 3', { timeout: 60_000 });
  expect((await page.locator('#fused').textContent())?.length ?? 0).toBeGreaterThan(0);

  const origin = new URL(baseURL!).origin;
  await expect(page.locator('#runtime-details')).toContainText(`${origin}/`);
  // Both bundled models carry a probe: the details say their self-check passed.
  await expect(page.locator('#runtime-details')).toContainText(/Ranker.*self-check passed/s);
  // The worker's own requests are observed too, so the check below covers them.
  expect(requests.some((url) => url.includes('blender.worker'))).toBe(true);
  expect(requests.some((url) => url.includes(`/${DEFAULT_MODELS.ranker}/`))).toBe(true);
  expect(requests.some((url) => url.includes(`/${DEFAULT_MODELS.fuser}/`))).toBe(true);
  // The worker's ORT build follows the backend: the plain WASM build unless WebGPU is used.
  // (In the webgpu project the first load, on WASM, fetched the plain build.)
  expect(wasmFetched.plain().length).toBeGreaterThan(0);
  if (expected === 'webgpu') expect(wasmFetched.asyncify().length).toBeGreaterThan(0);
  else expect(wasmFetched.asyncify()).toEqual([]);
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
  expect(foreign).toEqual([]);
});

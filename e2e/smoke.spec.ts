import { expect, test } from '@playwright/test';

test('the page loads, its worker answers, and no request leaves the origin', async ({ page, context, baseURL }, testInfo) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));

  await page.goto('/');
  const badge = page.locator('#backend-badge');
  const expected = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
  await expect(badge).toHaveAttribute('data-backend', expected);

  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  // Threads follow isolation: more than 1 here, because the page is isolated.
  await expect(page.locator('#runtime-details')).toContainText('Cross-origin isolated');
  if (expected === 'webgpu') {
    await expect(page.locator('#backend-reason')).toContainText('fallback adapter');
  } else {
    await expect(page.locator('#backend-reason')).toContainText(/WebGPU/);
  }

  const origin = new URL(baseURL!).origin;
  await expect(page.locator('#runtime-details')).toContainText(`${origin}/`);
  // The worker's own requests are observed too, so the check below covers them.
  expect(requests.some((url) => url.includes('blender.worker'))).toBe(true);
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
  expect(requests.length).toBeGreaterThan(0);
  expect(foreign).toEqual([]);
});

// The production build of the demo under a strict Content-Security-Policy: it loads both
// models, ranks (an HTML payload among the candidates shows as text) and fuses with no CSP
// violation, so nothing uses eval or blob: workers. The build goes to a temporary folder
// and a tiny static server (its own port, E2E_PORT + 1 by default) serves it with the CSP
// and cross-origin isolation headers, so ORT's threads are on too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { serveStatic, type StaticServer } from './fixtures/hardening/static-server';
import { recordWasmFetches } from './ort-wasm-files';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const PORT = Number(process.env.CSP_PORT ?? Number(process.env.E2E_PORT ?? 4317) + 1);

let server: StaticServer;
let outDir: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  outDir = mkdtempSync(join(tmpdir(), 'llm-blender-csp-'));
  const started = Date.now();
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'pipe',
  });
  console.info(`demo build for the CSP test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  server = await serveStatic(outDir, PORT, {
    // report-uri only adds a place for reports; the policy itself is the strict one.
    'Content-Security-Policy': `${STRICT_CSP}; report-uri /csp-report`,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
});

test.afterAll(async () => {
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('the built demo works under a strict CSP: no eval, no blob: workers, no violation', async ({ page, context }) => {
  const wasmFetched = recordWasmFetches(context);
  const violations: string[] = [];
  const workers: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      ((window as unknown as { cspViolations: string[] }).cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });

  await page.goto(`${server.url}/`);
  await expect(page.locator('#backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  const payload = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';
  await page.locator('summary', { hasText: 'Paste several at once' }).click();
  await page.locator('#paste-area').fill(['hi! I am fine, thanks!', payload, 'bye!'].join('\n\n'));
  await page.locator('#paste-replace').click();
  await expect(page.locator('#rank')).toBeEnabled();
  await page.locator('#rank').click();
  await expect(page.locator('#ranking li')).toHaveCount(3);
  expect(await page.locator('#ranking .candidate-text').allTextContents()).toContain(payload);
  expect(await page.locator('#ranking img, #ranking script').count()).toBe(0);

  await page.locator('#fuse').click();
  await expect(page.locator('#rank-status')).toContainText('fused the best 3', { timeout: 90_000 });
  expect((await page.locator('#fused').textContent())?.length ?? 0).toBeGreaterThan(0);

  expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);
  expect(violations).toEqual([]);
  expect(server.reports).toEqual([]);
  // Workers come from this origin's files: the blender worker (and ORT's threads, if any).
  expect(workers.some((url) => url.includes('blender.worker'))).toBe(true);
  for (const url of workers) expect(url.startsWith(`${server.url}/`), url).toBe(true);
  // The build ships both ORT wasm files; with no WebGPU the worker fetches the plain one.
  expect(wasmFetched.plain().length).toBeGreaterThan(0);
  expect(wasmFetched.asyncify()).toEqual([]);
  const shipped = readdirSync(join(outDir, 'assets'))
    .filter((file) => file.endsWith('.wasm'))
    .map((file) => file.replace(/-[\w-]{8}\.wasm$/, '.wasm')); // vite's content hash dropped
  expect(shipped.sort()).toEqual(['ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.wasm']);
});

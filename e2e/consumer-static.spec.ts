// No bundler at all: a static site (e2e/consumer-static: index.html and main.js, deployed with a
// copy of the package's dist/browser/ under /vendor/llm-blender-web/) whose module imports
// index.js by URL, with no import map, and ranks. Served twice, both times under the README's
// Content-Security-Policy: with COOP/COEP (WASM threads) and without (1 thread, and info() says why).
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  APP_CSP,
  copyModels,
  createFailure,
  expectWorkingApp,
  installPackage,
  ISOLATION_HEADERS,
  PORTS,
  recordRequests,
  ROOT,
  runScenario,
} from './consumer-apps';
import { serveStatic } from './fixtures/hardening/static-server';

const APP = join(ROOT, 'e2e', 'consumer-static');
const SITE = join(APP, 'dist');

test.beforeAll(() => {
  installPackage(APP);
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(SITE, { recursive: true });
  for (const file of ['index.html', 'main.js']) copyFileSync(join(APP, file), join(SITE, file));
  cpSync(join(APP, 'node_modules', 'llm-blender-web', 'dist', 'browser'), join(SITE, 'vendor', 'llm-blender-web'), { recursive: true });
  copyModels(SITE, ['models/tiny-pairrm']);
});

for (const isolated of [true, false]) {
  test(`a static page importing dist/browser/index.js by URL ranks under a strict CSP ${isolated ? 'on WASM threads with COOP/COEP' : 'on 1 thread without COOP/COEP'}`, async ({
    page,
    context,
  }) => {
    const headers = { 'Content-Security-Policy': `${APP_CSP}; report-uri /csp-report`, ...(isolated ? ISOLATION_HEADERS : {}) };
    const server = await serveStatic(SITE, PORTS.static + (isolated ? 0 : 1), headers);
    try {
      const requests = recordRequests(context);
      await page.goto(`${server.url}/`);
      const result = await runScenario(page, { fuse: false });
      // The report endpoint is on the page's origin; a violation report would be a request too.
      expectWorkingApp(
        result,
        requests.filter((url) => !url.endsWith('/csp-report')),
        server.url,
        { isolated },
      );
      expect(server.reports).toEqual([]);
      // The worker and ORT's wasm beside the entry, found with new URL('./file', import.meta.url).
      expect(result.info.workerUrl).toBe(`${server.url}/vendor/llm-blender-web/blender.worker.js`);
      expect(result.info.ortWasmUrl).toBe(`${server.url}/vendor/llm-blender-web/ort-wasm-simd-threaded.wasm`);
    } finally {
      await server.close();
    }
  });
}

test('files missing where assetsUrl or wasmUrl point: createBlender rejects with the reason, nothing hangs', async ({ page }) => {
  const server = await serveStatic(SITE, PORTS.static + 2, { 'Content-Security-Policy': `${APP_CSP}; report-uri /csp-report`, ...ISOLATION_HEADERS });
  try {
    await page.goto(`${server.url}/`);
    // No worker script there: the worker never runs, and the error says where it was looked for.
    const noWorker = await createFailure(page, { assetsUrl: '/nowhere/' });
    expect(noWorker?.code).toBe('WORKER_CRASHED');
    expect(noWorker?.message).toContain('did not load');
    expect(noWorker?.message).toContain('options.assetsUrl');
    // The worker starts, ORT's files are not there: the worker checks them before loading ORT,
    // and the error names the option and the file instead of failing the model's session.
    const noWasm = await createFailure(page, { wasmUrl: '/nowhere/' });
    expect([noWasm?.code, noWasm?.argument]).toEqual(['INVALID_OPTION', 'options.wasmUrl']);
    expect(noWasm?.message).toContain(`${server.url}/nowhere/ort-wasm-simd-threaded.`);
    expect(noWasm?.message).toContain('404');
    // And the same page still loads with the files where they are.
    expect(await createFailure(page, {})).toBeNull();
    expect(server.reports).toEqual([]);
  } finally {
    await server.close();
  }
});

// No bundler at all: a static page imports the package's dist/browser/index.js by URL (no import
// map) and ranks. Served twice: with COOP/COEP (WASM threads) and without (1 thread, and info()
// says why).
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectWorkingApp, installPackage, MODELS_ROOT, PORTS, recordRequests, ROOT, runScenario, serveStatic } from './consumer-apps';

const APP = join(ROOT, 'e2e', 'consumer-static');
const BROWSER_DIST = '/node_modules/llm-blender-web/dist/browser';

test.beforeAll(() => {
  installPackage(APP);
});

for (const isolated of [true, false]) {
  test(`a static page importing dist/browser/index.js by URL ranks ${isolated ? 'on WASM threads with COOP/COEP' : 'on 1 thread without COOP/COEP'}`, async ({
    page,
    context,
  }) => {
    const server = await serveStatic([APP, MODELS_ROOT], PORTS.static + (isolated ? 0 : 1), { isolated });
    try {
      const requests = recordRequests(context);
      await page.goto(`${server.url}/`);
      const result = await runScenario(page, { fuse: false });
      expectWorkingApp(result, requests, server.url, { isolated });
      // The worker and ORT's wasm beside the entry, found with new URL('./file', import.meta.url).
      expect(result.info.workerUrl).toBe(`${server.url}${BROWSER_DIST}/blender.worker.js`);
      expect(result.info.ortWasmUrl).toBe(`${server.url}${BROWSER_DIST}/ort-wasm-simd-threaded.wasm`);
    } finally {
      await server.close();
    }
  });
}

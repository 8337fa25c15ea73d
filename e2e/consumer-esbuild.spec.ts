// An esbuild app with the package installed from its npm tarball: esbuild bundles the page,
// the app copies the package's dist/browser/ to a folder it serves and passes that folder as
// createBlender({ assetsUrl }) (e2e/consumer-esbuild/build.mjs, src/main.js).
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectWorkingApp, PORTS, recordRequests, ROOT, runScenario, serveBuiltApp } from './consumer-apps';
import type { StaticServer } from './fixtures/hardening/static-server';

const APP = join(ROOT, 'e2e', 'consumer-esbuild');
let server: StaticServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  server = await serveBuiltApp(APP, PORTS.esbuild, ['models/tiny-pairrm']);
});

test.afterAll(async () => {
  await server?.close();
});

test('an esbuild app serving the package files itself ranks in Chromium through assetsUrl', async ({ page, context }) => {
  const requests = recordRequests(context);
  await page.goto(`${server!.url}/`);
  const result = await runScenario(page, { fuse: false });
  expectWorkingApp(result, requests, server!.url, { isolated: true });
  // The worker and ORT's wasm came from the folder assetsUrl names, under the package's names.
  expect(result.info.workerUrl).toBe(`${server!.url}/vendor/llm-blender-web/blender.worker.js`);
  expect(result.info.ortWasmUrl).toBe(`${server!.url}/vendor/llm-blender-web/ort-wasm-simd-threaded.wasm`);
});

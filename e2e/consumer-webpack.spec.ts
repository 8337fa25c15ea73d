// A webpack 5 app (production build) with the package installed from its npm tarball: webpack
// finds the worker and ORT's wasm by itself (e2e/consumer-webpack/build.mjs has no package-specific
// configuration); the page ranks and fuses with the bundled models, which the app serves.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectWorkingApp, PORTS, recordRequests, ROOT, runScenario, serveBuiltApp } from './consumer-apps';
import type { StaticServer } from './fixtures/hardening/static-server';

const APP = join(ROOT, 'e2e', 'consumer-webpack');
let server: StaticServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  server = await serveBuiltApp(APP, PORTS.webpack, ['models/tiny-pairrm', 'models/tiny-fuser']);
});

test.afterAll(async () => {
  await server?.close();
});

test('a webpack 5 app built from the npm tarball ranks and fuses in Chromium', async ({ page, context }) => {
  const requests = recordRequests(context);
  await page.goto(`${server!.url}/`);
  const result = await runScenario(page, { fuse: true });
  expectWorkingApp(result, requests, server!.url, { isolated: true });
  expect(result.fused).not.toBeNull();
  // webpack emitted the worker and ORT's wasm into the app's own output, under its own names.
  expect(new URL(result.info.workerUrl).pathname).toMatch(/^\/[\w.-]+\.js$/);
  expect(new URL(result.info.ortWasmUrl).pathname).toMatch(/^\/[0-9a-f]+\.wasm$/);
});

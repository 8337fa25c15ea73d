// A webpack 5 app (production build) with the package installed from its npm tarball: webpack
// finds the worker and ORT's wasm by itself (e2e/consumer-webpack/build.mjs has no package-specific
// configuration); the page ranks and fuses with the bundled models, which the app serves.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  buildOnce,
  expectWorkingApp,
  installAppDependencies,
  installPackage,
  MODELS_ROOT,
  PORTS,
  recordRequests,
  ROOT,
  runScenario,
  serveStatic,
  type StaticServer,
} from './consumer-apps';

const APP = join(ROOT, 'e2e', 'consumer-webpack');
let server: StaticServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  installAppDependencies(APP);
  const tarball = installPackage(APP);
  buildOnce(APP, tarball, () => execFileSync(process.execPath, ['build.mjs'], { cwd: APP, stdio: 'inherit' }));
  server = await serveStatic([join(APP, 'dist'), MODELS_ROOT], PORTS.webpack, { isolated: true });
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

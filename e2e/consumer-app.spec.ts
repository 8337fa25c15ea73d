// What an integrator does first: install the packed package into a fresh Vite app
// (e2e/consumer-app, whose only config is the COOP/COEP headers), build it, serve it, and run
// the models in Chromium. Vite bundles the worker and copies ORT's wasm from node_modules.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildOnce, copyModels, expectWorkingApp, installPackage, PORTS, recordRequests, ROOT, runScenario } from './consumer-apps';
import { recordWasmFetches } from './ort-wasm-files';

const APP = join(ROOT, 'e2e', 'consumer-app');
const VITE = join(ROOT, 'node_modules', '.bin', 'vite');
const ORIGIN = `http://localhost:${PORTS.vite}`;

let preview: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const tarball = installPackage(APP);
  // Into public/, which the build copies into dist/ for vite preview.
  copyModels(join(APP, 'public'), ['models/tiny-pairrm']);
  buildOnce(APP, tarball, () => execFileSync(VITE, ['build', '--logLevel', 'warn'], { cwd: APP, stdio: 'inherit' }));
  preview = spawn(VITE, ['preview', '--port', String(PORTS.vite), '--strictPort'], { cwd: APP, stdio: 'ignore' });
  await expect
    .poll(
      () =>
        fetch(`${ORIGIN}/`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 30_000 },
    )
    .toBe(200);
});

test.afterAll(() => {
  preview?.kill();
});

test('a Vite app built from the npm tarball runs the models in Chromium with no extra setup', async ({ page, context }) => {
  const requests = recordRequests(context);
  const wasmFetched = recordWasmFetches(context);
  await page.goto(`${ORIGIN}/`);
  const result = await runScenario(page, { fuse: false });
  expectWorkingApp(result, requests, ORIGIN, { isolated: true });
  // The worker and ORT's wasm came from the app's own build (Vite's hashed assets).
  expect(new URL(result.info.workerUrl).pathname).toMatch(/^\/assets\/blender\.worker-[\w-]+\.js$/);
  expect(requests.some((url) => /\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(url))).toBe(true);
  // The app asks for device 'wasm': the plain WASM build, never the asyncify one.
  expect(wasmFetched.plain().length).toBeGreaterThan(0);
  expect(wasmFetched.asyncify()).toEqual([]);
});

// What an integrator does first: `npm pack` this library, install the tarball into a fresh
// Vite app (e2e/consumer-app, whose only config is the COOP/COEP headers), build it, serve
// it, and rank in Chromium. The worker and ORT's wasm must resolve from node_modules.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { recordWasmFetches } from './ort-wasm-files';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP = join(ROOT, 'e2e', 'consumer-app');
const VITE = join(ROOT, 'node_modules', '.bin', 'vite');
const PORT = 4391;

let preview: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const packDir = mkdtempSync(join(tmpdir(), 'llm-blender-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const installed = join(APP, 'node_modules', 'llm-blender-web');
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed, { recursive: true });
  // Installing the tarball's own files; its dependencies resolve from the repository's
  // node_modules further up, as a hoisted install would place them.
  execFileSync('tar', ['-xzf', join(packDir, tarball), '-C', installed, '--strip-components=1']);
  rmSync(packDir, { recursive: true, force: true });
  cpSync(join(ROOT, 'public', 'models', 'tiny-pairrm'), join(APP, 'public', 'models', 'tiny-pairrm'), { recursive: true });
  execFileSync(VITE, ['build', '--logLevel', 'warn'], { cwd: APP, stdio: 'inherit' });

  preview = spawn(VITE, ['preview', '--port', String(PORT), '--strictPort'], { cwd: APP, stdio: 'ignore' });
  await expect
    .poll(
      () =>
        fetch(`http://localhost:${PORT}/`).then(
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

test('an app built from the npm tarball ranks in Chromium with no extra setup', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const wasmFetched = recordWasmFetches(context);
  await page.goto(`http://localhost:${PORT}/`);
  const result = page.locator('#result');
  await expect(result).not.toHaveText('loading', { timeout: 30_000 });
  const parsed = JSON.parse((await result.textContent()) ?? '') as { ranks: number[][]; backend: string };
  expect(parsed.backend).toBe('wasm');
  expect(parsed.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  // The worker and ORT's wasm came from the app's own build.
  expect(requests.some((url) => /\/assets\/blender\.worker-.*\.js$/.test(url))).toBe(true);
  expect(requests.some((url) => /\/assets\/ort-wasm-simd-threaded.*\.wasm$/.test(url))).toBe(true);
  // The app asks for device 'wasm': the plain WASM build, never the asyncify one.
  expect(wasmFetched.plain().length).toBeGreaterThan(0);
  expect(wasmFetched.asyncify()).toEqual([]);
  expect(requests.every((url) => url.startsWith(`http://localhost:${PORT}/`))).toBe(true);
});

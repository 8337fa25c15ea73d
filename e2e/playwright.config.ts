import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4317);
export const BASE_URL = `http://localhost:${PORT}`;

// Debian's Chromium when present (this project never downloads a browser), else an explicit
// path from CHROMIUM_PATH, else Playwright's own browser if one is installed.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Flags that keep a headless Chromium on a closed network quiet and deterministic.
const quietChromium = ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Generous: a fresh browser context compiles ORT's 27 MB wasm for every test.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: '../test-results',
  use: {
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // WebGPU on: headless Chromium gets SwiftShader's fallback adapter with this flag.
      name: 'webgpu',
      // Packaging, the model cache, the worker's life, callback delivery and the fuser's flows do not depend on
      // the backend (nor does the ranker's pair cache): the WASM project covers them (the demo specs too: smoke.spec covers the demo on WebGPU).
      testIgnore: /(consumer-[\w-]+|model-cache|opfs-store|callback-order|worker-lifecycle|fuse-flows|pair-cache|hardening-[\w-]+|demo-[\w-]+)\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...quietChromium, '--enable-unsafe-webgpu'] } },
    },
    {
      // WebGPU off: the WASM path is always covered too.
      name: 'wasm',
      // A lost WebGPU device needs a WebGPU device: that spec runs in the webgpu project only.
      testIgnore: /device-lost\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...quietChromium, '--disable-features=WebGPU'] } },
    },
  ],
  webServer: {
    command: `npx vite --port ${PORT} --strictPort`,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});

// Headless Chromium for the benchmark: the bench page on a vite dev server (cross-origin
// isolated, so WASM threads work), a fresh persistent profile per browser (IndexedDB on
// disk, with a real quota), and the peak memory of its renderer processes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { peakMemoryBytes } from './machine.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const QUIET = ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Extra flags from the environment (bench/gpu.sh passes Vulkan + WebGPU flags). */
export function extraFlags() {
  return (process.env.BENCH_CHROMIUM_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

/** Starts `vite` on `port` and resolves once it answers; returns a stop function. */
export async function startBenchServer(port) {
  const url = `http://localhost:${port}`;
  if (
    await fetch(url).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is taken: stop what serves ${url} or set BENCH_PORT`);
  const child = spawn('npx', ['vite', '--config', 'bench/vite.bench.config.mjs', '--port', String(port), '--strictPort', '--logLevel', 'warn'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`vite exited with ${child.exitCode} (is port ${port} taken?)`);
    const up = await fetch(`${url}/bench/page/index.html`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (waited > 60_000) throw new Error('vite did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: () => {
      try {
        process.kill(-child.pid, 'SIGTERM'); // its process group: npx and vite
      } catch {
        /* already gone */
      }
    },
  };
}

/** A fresh Chromium with its own profile, the bench page open; `close()` removes the profile. */
export async function openBenchPage(baseUrl, flags = []) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...QUIET, ...flags, ...extraFlags()],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(0);
  page.on('console', (message) => {
    const text = message.text();
    // Noise: the page has no favicon (404); the bench server has no HMR WebSocket on purpose.
    const noise = text.includes('404') || /websocket/i.test(text);
    if ((message.type() === 'error' && !noise) || /^wasm |^webgpu /.test(text)) console.log(`  [page] ${text}`);
  });
  await page.goto(`${baseUrl}/bench/page/index.html`);
  await page.locator('#status').filter({ hasText: 'ready' }).waitFor();
  return {
    page,
    version: context.browser()?.version() ?? chromiumVersion(),
    peakRendererBytes: () => rendererPeak(profile),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM_PATH ?? 'chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** Processes under the Chromium whose command line names `profile`, with their cmdlines. */
function browserProcesses(profile) {
  const all = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const ppid = Number(
        readFileSync(`/proc/${entry}/stat`, 'utf8')
          .replace(/^.*\) /, '')
          .split(' ')[1],
      );
      all.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      /* exited meanwhile */
    }
  }
  const roots = all.filter((p) => p.cmdline.includes(profile) && !p.cmdline.includes('--type='));
  const found = new Set(roots.map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => found.has(p.pid));
}

/** Largest peak resident memory (VmHWM) among the renderer processes: the page and its workers. */
function rendererPeak(profile) {
  const renderers = browserProcesses(profile).filter((p) => p.cmdline.includes('--type=renderer'));
  const peaks = renderers.map((p) => peakMemoryBytes(p.pid)).filter((bytes) => bytes !== null);
  return peaks.length > 0 ? Math.max(...peaks) : null;
}

// What the consumer-app specs share: the package as npm packs it (one tarball per version of the
// tree, tools/build/pack.mjs), each app's own dependencies installed once (and again only when its
// package.json changes), the headers and the Content-Security-Policy the apps are served with
// (by e2e/fixtures/hardening/static-server.ts), the scenario every app runs (golden logits, a
// rank, optionally a golden fuse, info()) and its common assertions.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { BrowserInfo, createBlender as CreateBlender } from '../src/client/index';
import { goldens as fuserGoldens, withinLimit } from '../test/fuse/fuser-goldens';
import { goldens as pairGoldens } from '../test/models/pairrm-golden';
import { packedTarball, ROOT } from '../tools/build/pack.mjs';
import { serveStatic, type StaticServer } from './fixtures/hardening/static-server';

export { ROOT };
export const RANKER = '/models/tiny-pairrm';
export const FUSER = '/models/tiny-fuser';

/** The apps' ports: this suite's range (4410-4429). The static site uses three (4414-4416). */
export const PORTS = { vite: 4411, webpack: 4412, esbuild: 4413, static: 4414 } as const;

function stamp(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/**
 * Installs the app's own dependencies (its bundler) with npm, once: a stamp of its package.json
 * in node_modules says whether the last install is still current.
 */
export function installAppDependencies(app: string): void {
  const manifest = readFileSync(join(app, 'package.json'));
  const marker = join(app, 'node_modules', '.consumer-install');
  const wanted = stamp(manifest);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error'], { cwd: app, stdio: 'inherit' });
  writeFileSync(marker, wanted);
}

/**
 * Puts the packed package into the app's node_modules/llm-blender-web, as npm would unpack it.
 * Its own dependencies are not installed: the browser build bundles everything it runs, and the
 * webpack app resolves only from its own node_modules, so a missing dependency would fail there.
 */
export function installPackage(app: string): string {
  const tarball = packedTarball();
  const target = join(app, 'node_modules', 'llm-blender-web');
  const marker = join(target, '.consumer-tarball');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === tarball) return tarball;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  writeFileSync(marker, tarball);
  return tarball;
}

/** Copies the bundled test models the scenario loads into the folder the app serves. */
export function copyModels(servedRoot: string, models: readonly string[]): void {
  for (const model of models) cpSync(join(ROOT, 'public', model), join(servedRoot, model), { recursive: true });
}

/** The headers that isolate a page (SharedArrayBuffer, hence ORT's WASM threads). */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * The Content-Security-Policy the README's "Use it in your app" section works through: scripts,
 * workers and fetches from the page's origin only, and WebAssembly compilation allowed.
 */
export const APP_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";

/** Every URL the page and its workers request from now on. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

export interface ScenarioOptions {
  /** Also fuse (the fuser's golden greedy texts). */
  fuse: boolean;
  /** createBlender's asset options, as the app would pass them. */
  assets?: { assetsUrl?: string; workerUrl?: string; wasmUrl?: string };
}

export interface ScenarioResult {
  logits: number[];
  ranks: number[][];
  fused: string[] | null;
  info: BrowserInfo;
  hardwareConcurrency: number;
}

/**
 * What every consumer page runs, through the `createBlender` its app exposes as
 * `window.consumer.createBlender` once `#status` says ready: fp32 WASM, the ranker's golden
 * pairs (logits from PyTorch), a rank of three candidates, the fuser's golden greedy texts.
 */
export async function runScenario(page: Page, options: ScenarioOptions): Promise<ScenarioResult> {
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 30_000 });
  const data = {
    ranker: RANKER,
    fuser: options.fuse ? FUSER : null,
    assets: options.assets ?? {},
    pairs: {
      instructions: pairGoldens.pairs.map((pair) => pair.instruction),
      inputs: pairGoldens.pairs.map((pair) => pair.input),
      a: pairGoldens.pairs.map((pair) => pair.candidate1),
      b: pairGoldens.pairs.map((pair) => pair.candidate2),
    },
    fusion: {
      inputs: withinLimit.map((c) => c.input),
      candidates: withinLimit.map((c) => c.candidates),
      instructions: withinLimit.map((c) => c.instruction),
      maxNewTokens: fuserGoldens.max_new_tokens,
    },
  };
  return page.evaluate(async (d) => {
    const { createBlender } = (window as unknown as { consumer: { createBlender: typeof CreateBlender } }).consumer;
    const blender = await createBlender({ ranker: d.ranker, fuser: d.fuser, device: 'wasm', dtype: 'fp32', ...d.assets });
    try {
      const logits = await blender.compare(d.pairs.inputs, d.pairs.a, d.pairs.b, { mode: '[A,B]', returnLogits: true, instructions: d.pairs.instructions });
      const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
      const fused = d.fuser
        ? await blender.fuse(d.fusion.inputs, d.fusion.candidates, { instructions: d.fusion.instructions, maxNewTokens: d.fusion.maxNewTokens, numBeams: 1 })
        : null;
      return { logits, ranks, fused, info: await blender.info(), hardwareConcurrency: navigator.hardwareConcurrency };
    } finally {
      await blender.dispose();
    }
  }, data);
}

/**
 * What every consumer test asserts: the models ran right (golden logits, a rank, golden fused
 * texts), the worker started from where the app serves it, WASM with the threads the headers
 * allow, and not one request left the page's origin.
 */
export function expectWorkingApp(result: ScenarioResult, requests: readonly string[], origin: string, { isolated }: { isolated: boolean }): void {
  // PyTorch's logits for the golden pairs (fp32), and a full rank of the three candidates.
  expect(result.logits).toHaveLength(pairGoldens.pairs.length);
  result.logits.forEach((logit, i) => expect(Math.abs(logit - pairGoldens.pairs[i]!.logit)).toBeLessThan(1e-4));
  expect(result.ranks[0]!.slice().sort()).toEqual([1, 2, 3]);
  if (result.fused) expect(result.fused).toEqual(withinLimit.map((c) => c.greedy.text));

  // The worker started, from the app's origin, and the page fetched its script.
  const { info } = result;
  expect(new URL(info.workerUrl).origin).toBe(origin);
  expect(requests).toContain(info.workerUrl);
  // WASM as asked, with ORT's wasm from the app's origin.
  expect(info.ranker!.backend).toBe('wasm');
  expect(info.ortBuild).toBe('wasm');
  expect(new URL(info.ortWasmUrl).origin).toBe(origin);
  expect(requests).toContain(info.ortWasmUrl);
  // Threads: as many as the cores (at most 4) when COOP/COEP isolate the page, else 1, saying why.
  expect(info.crossOriginIsolated).toBe(isolated);
  if (isolated) {
    expect(info.wasm.threads).toBe(Math.min(result.hardwareConcurrency, 4));
  } else {
    expect(info.wasm.threads).toBe(1);
    expect(info.wasm.reason).toContain('not cross-origin isolated');
  }
  // Nothing left the page's origin (no CDN for ORT's files, no model hub).
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
}

function* appFiles(path: string): Generator<string> {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name !== 'node_modules' && name !== 'dist') yield* appFiles(join(path, name));
    }
  } else {
    yield path;
  }
}

/**
 * Runs the app's build unless its output (`dist/`) was built from this same tarball and these
 * same app files: a stamp in dist/ says so. A production webpack build takes a minute here.
 */
export function buildOnce(app: string, tarball: string, build: () => void): void {
  const wanted = stamp(tarball, ...[...appFiles(app)].flatMap((file) => [file, readFileSync(file)]));
  const marker = join(app, 'dist', '.consumer-build');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  build();
  writeFileSync(marker, wanted);
}

/**
 * An app that its own build.mjs bundles into dist/ (esbuild, webpack): its dependencies and the
 * package installed, built once, the models copied into dist/, and dist/ served with COOP/COEP.
 */
export async function serveBuiltApp(app: string, port: number, models: readonly string[]): Promise<StaticServer> {
  installAppDependencies(app);
  const tarball = installPackage(app);
  buildOnce(app, tarball, () => execFileSync(process.execPath, ['build.mjs'], { cwd: app, stdio: 'inherit' }));
  copyModels(join(app, 'dist'), models);
  return serveStatic(join(app, 'dist'), port, ISOLATION_HEADERS);
}

export interface CreateFailure {
  code: string;
  message: string;
  argument: string | undefined;
}

/** createBlender with `options` in the app's page: the BlenderError it rejects with, or null when it loads. */
export async function createFailure(page: Page, options: Record<string, unknown>): Promise<CreateFailure | null> {
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 30_000 });
  return page.evaluate(async (o) => {
    const { createBlender } = (window as unknown as { consumer: { createBlender: typeof CreateBlender } }).consumer;
    try {
      const blender = await createBlender({ ranker: '/models/tiny-pairrm', device: 'wasm', ...o });
      await blender.dispose();
      return null;
    } catch (error) {
      const { code, message, argument } = error as { code: string; message: string; argument: string | undefined };
      return { code, message, argument };
    }
  }, options);
}

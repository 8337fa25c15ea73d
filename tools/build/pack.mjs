// The package as npm would publish it, packed once per version of its inputs: `npm pack`
// (whose prepack step is `npm run build`) into .cache/package/, named by a hash of everything
// that goes into the build. The package check (tools/build/check-package.mjs) and every
// consumer-app test (e2e/consumer-*.spec.ts) share the one tarball; an unchanged tree packs
// nothing. `node tools/build/pack.mjs` prints its path.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGE_CACHE = join(ROOT, '.cache', 'package');

// Everything `npm run build` reads, besides node_modules (pinned by package-lock.json).
const INPUTS = ['src', 'workers', 'tools/build', 'package.json', 'package-lock.json', 'README.md', 'vite.config.ts', 'tsconfig.json'];

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* files(join(path, name));
  } else {
    yield path;
  }
}

/** A hash of the build's inputs: file names and contents. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(ROOT, input))) {
      hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The path of the packed tarball for the tree as it is now; packs it when it is not cached.
 * LLM_BLENDER_WEB_TARBALL names a tarball to use instead (one packed elsewhere, or earlier).
 */
export function packedTarball() {
  if (process.env.LLM_BLENDER_WEB_TARBALL) return process.env.LLM_BLENDER_WEB_TARBALL;
  const name = `llm-blender-web-${inputsHash()}.tgz`;
  const tarball = join(PACKAGE_CACHE, name);
  if (existsSync(tarball)) return tarball;
  const staging = join(PACKAGE_CACHE, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', staging], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const file = packed.trim().split('\n').at(-1);
  // Older tarballs go only once this one exists: a failed build leaves the last good one.
  for (const old of readdirSync(PACKAGE_CACHE)) {
    if (old !== 'staging') rmSync(join(PACKAGE_CACHE, old), { force: true });
  }
  renameSync(join(staging, file), tarball);
  rmSync(staging, { recursive: true, force: true });
  return tarball;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(packedTarball());
}

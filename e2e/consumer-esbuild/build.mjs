// esbuild bundles the app's JavaScript but does not copy files that code finds with
// `new URL(..., import.meta.url)`: the app copies the package's dist/browser/ (the worker, its
// chunks, ORT's wasm) to a folder it serves, and names that folder with createBlender({ assetsUrl }).
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  outfile: join(dist, 'main.js'),
  logLevel: 'warning',
});
cpSync(join(here, 'node_modules', 'llm-blender-web', 'dist', 'browser'), join(dist, 'vendor', 'llm-blender-web'), { recursive: true });
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));

// A production webpack 5 build with nothing package-specific: webpack finds the worker
// (`new Worker(new URL(...))`) and ORT's wasm (`new URL(..., import.meta.url)`) by itself.
// Modules resolve from this app's node_modules only, so the package must bring what it runs.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = join(here, 'dist');

const compiler = webpack({
  mode: 'production',
  context: here,
  entry: './src/main.js',
  output: { path: dist, filename: 'main.js', clean: true },
  resolve: { modules: [join(here, 'node_modules')] },
  // ORT's wasm is 14 MB: above webpack's size hints, and expected.
  performance: { hints: false },
});

const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
await new Promise((resolve) => compiler.close(resolve));
if (stats.hasErrors()) {
  console.error(stats.toString({ all: false, errors: true }));
  process.exit(1);
}
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
console.log(stats.toString({ all: false, assets: true, warnings: true }));

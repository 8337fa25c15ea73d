// Builds the published browser package, dist/browser/ (`npm run build` runs it):
//
//   index.js              the page entry (createBlender, openModelCache), self-contained: no
//                         bare imports, so a plain <script type="module"> can load it by URL
//   blender.worker.js     the worker, with everything it needs bundled (comlink, idb-keyval,
//   chunks/*.js           transformers.js, onnxruntime-web's JavaScript) and split only where
//                         the worker imports dynamically (transformers.js must load after ORT)
//   ort-wasm-simd-threaded[.asyncify].{wasm,mjs}
//                         onnxruntime-web's binaries and their Emscripten glue, as plain files
//
// The entry starts the worker with `new Worker(new URL('./blender.worker.js', import.meta.url))`
// and the worker finds ORT's files with `new URL('./ort-….wasm', import.meta.url)`: the one
// pattern webpack 5, Vite, Rollup and Parcel all follow, so an app's bundler copies every file
// by itself. Hosts without such a bundler name the folder with createBlender({ assetsUrl }).
import { dirname, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = 'dist/browser';

// The worker's path in the source (src/client/spawn-worker.ts) and in the package.
const SOURCE_WORKER = "new URL('../../workers/blender.worker.ts', import.meta.url)";
const BUILT_WORKER = "new URL(/* @vite-ignore */ './blender.worker.js', import.meta.url)";

/** The page entry points at the built worker beside it instead of letting Vite bundle the source. */
function builtWorkerUrl() {
  let replaced = false;
  return {
    name: 'llm-blender:built-worker-url',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/client/spawn-worker.ts')) return null;
      if (!code.includes(SOURCE_WORKER)) this.error(`spawn-worker.ts no longer contains ${SOURCE_WORKER}: update tools/build/browser.mjs`);
      replaced = true;
      return { code: code.replace(SOURCE_WORKER, BUILT_WORKER), map: null };
    },
    buildEnd() {
      if (!replaced) this.error('src/client/spawn-worker.ts was not part of the page entry');
    },
    // The comment kept Vite from bundling the worker here; in the package it would keep the app's
    // Vite from doing so (its pattern allows nothing between `new URL(` and the path).
    generateBundle(_options, bundle) {
      const entry = bundle['index.js'];
      const ignored = /new URL\(\s*\/\* @vite-ignore \*\/\s*(["'])\.\/blender\.worker\.js\1,\s*import\.meta\.url\s*\)/g;
      const found = entry.code.match(ignored)?.length ?? 0;
      if (found !== 1) this.error(`expected one reference to ./blender.worker.js in index.js, found ${found}`);
      entry.code = entry.code.replace(ignored, 'new URL("./blender.worker.js", import.meta.url)');
    },
  };
}

// `new URL('file', import.meta.url)`, also through an alias of URL (`let t = URL; new t(...)`),
// which onnxruntime-web uses to hide its own bundle's name from bundlers, and which webpack follows.
// The onnxruntime-web files the worker loads (src/runtime/web/ort-web.ts ORT_FILES).
const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.mjs'];

const URL_REFERENCE = /new ([A-Za-z_$][\w$]*)\(\s*(["'])([^"'`]+)\2\s*,\s*import\.meta\.url\s*\)/g;

/**
 * Every `new URL('file', import.meta.url)` left in the worker's code either names a file the
 * build wrote, written as `./file` (webpack resolves a bare `file` as a package name), or a file
 * that does not exist: onnxruntime-web's own bundle name, used only when it runs from file: URLs.
 * Those are hidden from bundlers (`'' + import.meta.url`), which would otherwise fail the build
 * on a missing file. The URL they compute at run time is unchanged.
 */
function relativeAssetUrls() {
  return {
    name: 'llm-blender:relative-asset-urls',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const folder = posix.dirname(chunk.fileName);
        chunk.code = chunk.code.replace(URL_REFERENCE, (whole, constructor, quote, path) => {
          if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return whole;
          const target = posix.normalize(posix.join(folder, path));
          if (bundle[target]) return path.startsWith('.') ? whole : `new ${constructor}(${quote}./${path}${quote}, import.meta.url)`;
          return `new ${constructor}(${quote}${path}${quote}, '' + import.meta.url)`;
        });
      }
      // The files the worker loads by default must be referenced in the one form bundlers follow.
      const worker = bundle['blender.worker.js'];
      for (const file of ORT_FILES) {
        if (!bundle[file]) this.error(`${file} was not emitted beside the worker`);
        if (!worker.code.includes(`new URL("./${file}", import.meta.url)`))
          this.error(`blender.worker.js does not reference ./${file} with new URL(..., import.meta.url)`);
      }
    },
  };
}

/**
 * This build is a worker's, and Vite treats it as one: dynamic imports stay plain `import()`,
 * without the page-only preload helper (it reads `document`, and bundlers that re-bundle the
 * worker warn about its `import.meta.resolve` and its computed imports). Vite decides this by
 * `config.isWorker`, which it sets only for the workers it finds itself.
 */
function bundledAsWorker() {
  return {
    name: 'llm-blender:bundled-as-worker',
    configResolved(config) {
      config.isWorker = true;
    },
  };
}

const shared = {
  configFile: false,
  root: ROOT,
  publicDir: false,
  // Asset URLs relative to the module that uses them (`new URL(file, import.meta.url)`).
  base: './',
  logLevel: 'warn',
};

const sharedBuild = {
  outDir: OUT,
  target: 'es2022',
  // The app's bundler minifies; readable code here is easier to debug and to review.
  minify: false,
  // Every asset is a file: a 27 MB wasm must never become a data: URL.
  assetsInlineLimit: 0,
  // No preload helper: dynamic imports stay plain `import()` (the worker has no document).
  modulePreload: false,
  copyPublicDir: false,
  // Rolldown's report of slow plugins is noise in a build this size.
  rollupOptions: { checks: { pluginTimings: false } },
};

// The worker first (it empties the folder), then the page entry beside it.
await build({
  ...shared,
  plugins: [bundledAsWorker(), relativeAssetUrls()],
  build: {
    ...sharedBuild,
    emptyOutDir: true,
    rollupOptions: {
      ...sharedBuild.rollupOptions,
      input: { 'blender.worker': 'workers/blender.worker.ts' },
      preserveEntrySignatures: false,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: '[name][extname]' },
    },
  },
});

await build({
  ...shared,
  plugins: [builtWorkerUrl()],
  build: {
    ...sharedBuild,
    emptyOutDir: false,
    rollupOptions: {
      ...sharedBuild.rollupOptions,
      input: { index: 'src/client/index.ts' },
      preserveEntrySignatures: 'strict',
      output: { format: 'es', entryFileNames: '[name].js', codeSplitting: false },
    },
  },
});

console.log(`built ${posix.join(dirname(OUT), 'browser')}/ (index.js, blender.worker.js, chunks/, ORT's wasm)`);

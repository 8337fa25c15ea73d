import { defineConfig } from 'vitest/config';

// Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, which
// onnxruntime-web needs for multi-threaded WASM. Without it ORT silently runs 1 thread.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// `vite build --mode node` builds the Node entry (llm-blender-web/node) and the
// `llm-blender-web` command: ES modules with every dependency left external, for Node 20.
const nodeLibrary = defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist/node',
    target: 'node20',
    emptyOutDir: true,
    rollupOptions: { input: { index: 'src/node/index.ts', bin: 'src/node/bin.ts' } },
  },
});

const app = defineConfig({
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  // Pre-bundling rewrites `new URL(file, import.meta.url)`, which is how ORT and
  // transformers.js find their wasm files: serve them unbundled instead.
  optimizeDeps: {
    exclude: ['onnxruntime-web', '@huggingface/transformers'],
    // Found up front, so the dev server never re-optimizes (and reloads the page) when the
    // worker first imports them.
    include: ['comlink', 'idb-keyval'],
    entries: ['index.html', 'e2e/harness.html', 'workers/*.ts'],
  },
  build: { outDir: 'dist/demo', target: 'es2022' },
  test: {
    // Unit, parity and property tests run in Node; browser tests live in e2e/ (Playwright).
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});

export default defineConfig(({ mode }) => (mode === 'node' ? nodeLibrary : app));

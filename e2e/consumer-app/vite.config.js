import { defineConfig } from 'vite';

// The only configuration an app needs: cross-origin isolation for multi-threaded WASM.
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({ server: { headers }, preview: { headers } });

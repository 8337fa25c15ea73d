// A page without a bundler: the package's built entry, imported by URL from where the site
// serves a copy of dist/browser/. Its worker and ORT's wasm lie beside it and are found there.
// The spec drives createBlender through window.consumer (e2e/consumer-apps.ts).
import { createBlender } from './vendor/llm-blender-web/index.js';

window.consumer = { createBlender };
document.querySelector('#status').textContent = 'ready';

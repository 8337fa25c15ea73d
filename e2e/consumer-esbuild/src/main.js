// An esbuild app's use of the package: import it by name, and say where the app serves the
// package's files (build.mjs copies them there).
// The spec drives createBlender through window.consumer (e2e/consumer-apps.ts).
import { createBlender } from 'llm-blender-web';

const assetsUrl = '/vendor/llm-blender-web/';
window.consumer = { createBlender: (options) => createBlender({ assetsUrl, ...options }) };
document.querySelector('#status').textContent = 'ready';

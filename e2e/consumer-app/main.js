// A Vite app's use of the package: import it by name; Vite bundles the worker and copies ORT's
// wasm by itself. The spec drives createBlender through window.consumer (e2e/consumer-apps.ts).
import { createBlender } from 'llm-blender-web';

window.consumer = { createBlender };
document.querySelector('#status').textContent = 'ready';

// A webpack app's use of the package: import it by name, nothing else.
// The spec drives createBlender through window.consumer (e2e/consumer-apps.ts).
import { createBlender } from 'llm-blender-web';

window.consumer = { createBlender };
document.querySelector('#status').textContent = 'ready';

// The store bench's page: runs one measurement in a fresh worker (bench/store/store.worker.ts).
import type { StoreBenchReply, StoreBenchRequest } from './protocol';

function measure(request: StoreBenchRequest): Promise<StoreBenchReply | { error: string }> {
  const worker = new Worker(new URL('./store.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<StoreBenchReply | { error: string }>((resolve) => {
    worker.onmessage = (event: MessageEvent<StoreBenchReply | { error: string }>) => resolve(event.data);
    worker.onerror = (event) => resolve({ error: event.message });
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

declare global {
  interface Window {
    storeBench: { measure: typeof measure };
  }
}
window.storeBench = { measure };
document.querySelector('#status')!.textContent = 'ready';

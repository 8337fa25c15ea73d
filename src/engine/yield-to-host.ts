/**
 * Lets the host's event loop run queued tasks. A model run can complete through promise
 * callbacks alone (onnxruntime-web's WASM backend does), so a loop of runs would otherwise
 * never let an abort message, a kill or a progress callback in until the whole call ends.
 *
 * A message round trip is an ordinary task, queued behind messages already waiting (the
 * page's abort). Not `scheduler.yield()`: its continuation outranks waiting messages, and
 * not `setTimeout`: nested timers are clamped to 4 ms.
 */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

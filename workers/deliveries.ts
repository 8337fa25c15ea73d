/**
 * The deliveries of one call's (or one load's) callbacks to the page. A Comlink proxy posts
 * its message at once and returns a promise that settles when the page has run the
 * callback; the engine does not wait for it (a round trip per token would slow generation).
 * But the call's result goes back on the worker's own port, which nothing orders after the
 * proxy's port: a result sent while deliveries are still on their way can reach the page
 * first. So the result is sent only once every delivery has settled.
 */
export class Deliveries {
  private readonly pending = new Set<Promise<void>>();

  /** `callback` as the engine calls it: at once, in order, never failing, tracked here. */
  to<A extends unknown[]>(callback: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
      // Called synchronously (an async function runs to its first await), so messages
      // leave in the engine's order. A delivery that fails (the proxy was released, the
      // page's side refused it) must neither stop the computation nor lose its result:
      // it counts as settled. The page reports its own callbacks' exceptions
      // (src/client/worker-connection.ts), so they never come back here.
      const delivery = (async () => {
        await callback(...args);
      })().catch(() => undefined);
      this.pending.add(delivery);
      void delivery.then(() => this.pending.delete(delivery));
    };
  }

  /** Resolves once every delivery made so far has settled. Never rejects. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}

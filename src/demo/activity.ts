// One operation at a time: the worker runs calls one after another anyway, and a page
// whose buttons all work at once invites races. Views subscribe to enable their controls.

export type ActivityKind = 'load' | 'rank' | 'compare' | 'fuse' | 'batch';

export class Activity {
  private controller: AbortController | null = null;
  private current: ActivityKind | null = null;
  private readonly listeners = new Set<() => void>();

  get kind(): ActivityKind | null {
    return this.current;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Starts an operation; its signal fires on cancel(). */
  begin(kind: ActivityKind): AbortSignal {
    if (this.current) throw new Error(`busy with ${this.current}`);
    this.current = kind;
    this.controller = new AbortController();
    this.notify();
    return this.controller.signal;
  }

  end(): void {
    this.current = null;
    this.controller = null;
    this.notify();
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Calls `listener` now and on every change. */
  subscribe(listener: () => void): void {
    this.listeners.add(listener);
    listener();
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}

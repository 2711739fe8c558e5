/**
 * The responses a fault keeps open past its handler call (hang, trickle, endless, reset-mid-body until
 * its reset), so that `close()` can end every one of them and a test can wait until none is left.
 */
import type { ServerResponse } from 'node:http';

export class OpenResponses {
  private readonly stops = new Set<() => void>();
  private waiters: Array<() => void> = [];

  /**
   * Tracks `res` until its 'close' event (finished, or its connection gone). `cleanup` clears whatever
   * keeps writing to it (timers, listeners); it runs exactly once, on close or on `stopAll`.
   */
  track(res: ServerResponse, cleanup: () => void = () => undefined): void {
    let cleaned = false;
    const clean = (): void => {
      if (cleaned) return;
      cleaned = true;
      cleanup();
    };
    const stop = (): void => {
      clean();
      res.destroy();
    };
    this.stops.add(stop);
    res.once('close', () => {
      clean();
      this.stops.delete(stop);
      if (this.stops.size === 0) this.wake();
    });
  }

  /** How many responses are still open. */
  get size(): number {
    return this.stops.size;
  }

  /** Resolves once no response is open (at once when none is). */
  settled(): Promise<void> {
    if (this.stops.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops writing to every open response and destroys its connection. */
  stopAll(): void {
    for (const stop of [...this.stops]) stop();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Baseten's organization rate limit (6 requests per minute), simulated as a rolling window.
 *
 * Baseten does not document how it counts. The simulator's choice, the most plausible for an API gateway:
 * - the window is a true sliding log: a request at time t is admitted when fewer than `limit` admitted
 *   requests fall in (t - 60 s, t]; a slot frees exactly 60 s after the request that took it;
 * - only requests that authenticated count, because the organization is known only from the key
 *   (a request with a missing or wrong key is answered 401/403 before the limiter runs);
 * - requests refused with 429 do not count, so a client that backs off is never locked out by its own
 *   refused retries.
 */

export const RATE_WINDOW_MS = 60_000;

export interface RateDecision {
  admitted: boolean;
  /** When refused: milliseconds until the oldest admitted request leaves the window. */
  retryInMs: number;
}

export class RollingRateWindow {
  /** Admission times, oldest first. */
  private readonly admitted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number = RATE_WINDOW_MS,
  ) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`demo: rateLimitPerMinute must be a positive integer (got ${String(limit)})`);
    }
  }

  /** Admits (and records) or refuses a request arriving at `atMs`. */
  tryAdmit(atMs: number): RateDecision {
    this.expire(atMs);
    if (this.admitted.length < this.limit) {
      this.admitted.push(atMs);
      return { admitted: true, retryInMs: 0 };
    }
    const oldest = this.admitted[0] ?? atMs;
    return { admitted: false, retryInMs: Math.max(0, oldest + this.windowMs - atMs) };
  }

  /** How many admitted requests are still inside the window at `atMs`. */
  inWindow(atMs: number): number {
    this.expire(atMs);
    return this.admitted.length;
  }

  private expire(atMs: number): void {
    while (this.admitted.length > 0 && (this.admitted[0] ?? 0) + this.windowMs <= atMs) this.admitted.shift();
  }
}

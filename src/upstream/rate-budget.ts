/**
 * Baseten allows 6 requests per rolling minute per organization, shared by every client. Every request the
 * bridge sends — scheduled, retried, after a reload or a restart — first takes a slot here; this is the one
 * place the limit is enforced. A slot frees exactly 60 s after the request that took it.
 */
export const BUDGET_WINDOW_MS = 60_000;

export class RateBudget {
  private times: number[];

  constructor(
    private limitPerMinute: number,
    private readonly now: () => number,
    /** Request times from before a restart (the state file), so a crash loop cannot spend more. */
    previous: readonly number[] = [],
    private readonly onChange: (times: readonly number[]) => void = () => undefined,
  ) {
    this.times = [...previous].sort((a, b) => a - b);
  }

  setLimit(limitPerMinute: number): void {
    this.limitPerMinute = limitPerMinute;
  }

  get limit(): number {
    return this.limitPerMinute;
  }

  /** Requests sent in the last 60 s. */
  used(): number {
    this.expire();
    return this.times.length;
  }

  left(): number {
    return Math.max(0, this.limitPerMinute - this.used());
  }

  /** The request times of the last 60 s, oldest first (for the state file). */
  history(): number[] {
    this.expire();
    return [...this.times];
  }

  /** Adds requests spent under another budget (two budgets found to be one organization's). */
  absorb(times: readonly number[]): void {
    this.times = [...this.times, ...times].sort((a, b) => a - b);
    this.expire();
  }

  /** Takes a slot when one is free; false means: do not send. */
  tryAcquire(): boolean {
    if (this.left() === 0) return false;
    this.times.push(this.now());
    this.onChange(this.times);
    return true;
  }

  /** When the next slot frees (now when one is free). */
  nextFreeAt(): number {
    this.expire();
    if (this.times.length < this.limitPerMinute) return this.now();
    return this.times[this.times.length - this.limitPerMinute]! + BUDGET_WINDOW_MS;
  }

  private expire(): void {
    const cutoff = this.now() - BUDGET_WINDOW_MS;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= cutoff) drop++;
    if (drop > 0) this.times.splice(0, drop);
    // A clock that went backwards (or a state file from the future) must not block forever.
    const now = this.now();
    if (this.times.some((t) => t > now)) this.times = this.times.map((t) => Math.min(t, now));
  }
}

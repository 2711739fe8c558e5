/**
 * Drives one fetch per interval, never two at once. node-cron ticks every second; each tick asks whether a
 * cycle is due, so any Prometheus duration works as an interval (cron expressions cannot say "every 90s").
 * The first cycle runs at start, so a new bridge has data within seconds.
 */
import cron, { type ScheduledTask } from 'node-cron';

export interface CycleReport {
  /** Set when the upstream asked us to wait (429 with Retry-After): the next cycle waits at least this long. */
  retryAfterMs?: number;
}

export interface SchedulerOptions {
  intervalMs: () => number;
  runCycle: () => Promise<CycleReport>;
  now?: () => number;
}

export class Scheduler {
  private task: ScheduledTask | undefined;
  private inFlight: Promise<void> | undefined;
  private nextDueMs = 0;
  private readonly now: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.nextDueMs = this.now();
    void this.tick();
    this.task = cron.schedule('* * * * * *', () => this.tick(), { name: 'baseten-bridge-fetch', noOverlap: false });
  }

  /** Milliseconds since the epoch at which the next cycle may start. */
  nextDue(): number {
    return this.nextDueMs;
  }

  /** Runs a cycle when one is due and none is running. Public so tests can drive time themselves. */
  tick(): Promise<void> {
    if (this.inFlight || this.now() < this.nextDueMs) return this.inFlight ?? Promise.resolve();
    const startedAt = this.now();
    this.nextDueMs = startedAt + this.opts.intervalMs();
    this.inFlight = this.opts
      .runCycle()
      .then((report) => {
        if (report.retryAfterMs !== undefined) this.nextDueMs = Math.max(this.nextDueMs, this.now() + report.retryAfterMs);
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Stops the schedule and waits for the cycle in flight, if any. */
  async stop(): Promise<void> {
    if (this.task) {
      await this.task.destroy();
      this.task = undefined;
    }
    await this.inFlight;
  }
}

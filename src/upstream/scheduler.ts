/**
 * Drives the attempts, never two at once. node-cron ticks every second; each tick asks whether an attempt
 * is due, so any Prometheus duration works as an interval (cron expressions cannot say "every 90s"), and
 * backoff can move the next attempt freely. The first attempt runs at start, so a new bridge has data
 * within seconds. Each attempt says when the next one is due.
 */
import cron, { type ScheduledTask } from 'node-cron';

export interface SchedulerOptions {
  /** One attempt; resolves to the time (ms since the epoch) the next one is due. Must not reject. */
  runAttempt: (signal: AbortSignal) => Promise<number>;
  /** Called when an attempt throws anyway (a bug): the schedule goes on. */
  onError: (err: unknown) => number;
  /** Called on every tick, attempt due or not (the target says when its data goes stale between attempts). */
  onTick?: () => void;
  now?: () => number;
}

export class Scheduler {
  private task: ScheduledTask | undefined;
  private inFlight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private nextDueMs = 0;
  /** runSoon() was called while an attempt ran: its own next-due time must not put the new one off. */
  private soonAfterFlight = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.nextDueMs = this.now();
    void this.tick();
    this.task = cron.schedule('* * * * * *', () => this.tick(), { name: 'baseten-bridge-fetch' });
  }

  /** Milliseconds since the epoch at which the next attempt may start. */
  nextDue(): number {
    return this.nextDueMs;
  }

  /** Moves the next attempt earlier (a reload, a rotated key); the rate budget still decides. */
  runSoon(): void {
    if (this.inFlight) this.soonAfterFlight = true;
    this.nextDueMs = Math.min(this.nextDueMs, this.now());
  }

  /** Runs an attempt when one is due and none is running. Public so tests can drive time themselves. */
  tick(): Promise<void> {
    if (!this.stopped) this.opts.onTick?.();
    if (this.stopped || this.inFlight || this.now() < this.nextDueMs) return this.inFlight ?? Promise.resolve();
    const abort = new AbortController();
    this.abort = abort;
    this.inFlight = this.opts
      .runAttempt(abort.signal)
      .catch((err: unknown) => this.opts.onError(err))
      .then((next) => {
        this.nextDueMs = this.soonAfterFlight ? Math.min(next, this.now()) : next;
        this.soonAfterFlight = false;
      })
      .finally(() => {
        this.inFlight = undefined;
        this.abort = undefined;
      });
    return this.inFlight;
  }

  /** Stops the schedule and aborts the attempt in flight, if any, waiting for it to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.task) {
      await this.task.destroy();
      this.task = undefined;
    }
    this.abort?.abort();
    await this.inFlight;
  }
}

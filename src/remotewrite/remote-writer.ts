/**
 * Sends what the bridge serves to every configured remote_write receiver. `push` is called after each good
 * cycle with the rendered exposition and the fetch time; it returns at once and never throws. The body is
 * read line by line (push-series.ts, PushCursor), yielding to the event loop every few milliseconds, and each sample
 * goes to every remote, each with its own record cache, relabeling, queue and sender (endpoint.ts).
 */
import type { Registry } from 'prom-client';
import type { RemoteWriteConfig } from '../config/index.js';
import type { Logger, SecretRegistry } from '../log/index.js';
import { Endpoint, fingerprint } from './endpoint.js';
import { countSamples, PushSeries } from './push-series.js';
import { RemoteWriteMetrics } from './metrics.js';

export interface RemoteWriterDeps {
  logger: Logger;
  registry: Registry;
  secrets: SecretRegistry;
  now?: () => number;
}

/** Work done between two yields to the event loop while reading a push (scrapes are answered in between). */
const TURN_BUDGET_MS = 4;
/** How long `close` tries to flush before it stops (a SIGTERM has a grace period of its own). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
/**
 * Pushes waiting to be read while one is read. Reading takes well under a second and cycles are at least
 * 10 s apart, so more can only pile up on a starved machine; then the oldest waiting push is dropped, counted.
 */
const MAX_WAITING_PUSHES = 2;
/** Samples read between two looks at the clock. */
const LINES_PER_CLOCK_CHECK = 64;

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Push {
  body: Buffer;
  timestampMs: number;
  /** Snapshot.stamped: a line without a timestamp is a departed series, not a sample of this fetch. */
  stamped: boolean;
}

export class RemoteWriter {
  private endpoints = new Map<string, Endpoint>();
  private readonly metrics: RemoteWriteMetrics;
  private readonly now: () => number;
  private readonly waiting: Push[] = [];
  private readonly series = new PushSeries();
  /** Stamped snapshot texts pushed (held weakly: a text no snapshot serves any more is let go). */
  private readonly pushedStamped = new WeakSet<Buffer>();
  private reading: Promise<void> | undefined;
  private closed = false;
  /** Background flushes of remotes a reload removed; `close` waits for them. */
  private retiring = new Set<Promise<void>>();

  constructor(
    configs: RemoteWriteConfig[],
    private readonly deps: RemoteWriterDeps,
  ) {
    this.metrics = new RemoteWriteMetrics(deps.registry);
    this.now = deps.now ?? Date.now;
    this.reconfigure(configs);
  }

  /** Names of the configured remotes. */
  get remotes(): string[] {
    return [...this.endpoints.keys()];
  }

  /** Samples waiting to be sent, per remote. */
  pending(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, endpoint] of this.endpoints) out[name] = endpoint.pending;
    return out;
  }

  /**
   * Sends a snapshot's text whose samples are of `timestampMs` (Snapshot.stampedAtMs); `stamped`:
   * Snapshot.stamped. A stamped text already pushed is not pushed again: a body Baseten sent again within its
   * refresh is served as the same samples, which every remote already has.
   */
  push(seriesText: Buffer, timestampMs: number, stamped = false): void {
    if (this.closed || this.endpoints.size === 0) return;
    if (stamped) {
      if (this.pushedStamped.has(seriesText)) return;
      this.pushedStamped.add(seriesText);
    }
    this.waiting.push({ body: seriesText, timestampMs: Math.round(timestampMs), stamped });
    if (this.waiting.length > MAX_WAITING_PUSHES) {
      const skipped = this.waiting.shift()!;
      const samples = countSamples(skipped.body);
      for (const endpoint of this.endpoints.values()) endpoint.dropBeforeQueue('queue_full', samples);
      this.deps.logger.warn('remote_write: pushes arrive faster than they are read; dropped the oldest', { samples });
    }
    this.reading ??= this.readWaiting();
  }

  private async readWaiting(): Promise<void> {
    await yieldToLoop(); // push() returns before any work is done
    try {
      for (let next = this.waiting.shift(); next !== undefined && !this.closed; next = this.waiting.shift())
        await this.read(next);
    } catch (err) {
      // A bug, not a data problem: say so once rather than take the bridge down.
      this.deps.logger.error('remote_write: reading a push failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      this.reading = undefined;
    }
  }

  private async read({ body, timestampMs, stamped }: Push): Promise<void> {
    const cursor = this.series.read(body, stamped ? timestampMs : undefined);
    // Read again after each yield: a reload meanwhile sends the rest of this push to the new set of remotes.
    let endpoints = [...this.endpoints.values()];
    const countInvalid = () => {
      const invalid = cursor.takeInvalid();
      if (invalid > 0) for (const endpoint of endpoints) endpoint.dropBeforeQueue('invalid', invalid);
    };
    let turnStart = performance.now();
    for (let lines = 1; cursor.next(); lines++) {
      const ts = cursor.timestampMs ?? timestampMs;
      for (const endpoint of endpoints) endpoint.add(this.series, cursor.row!, cursor.value, ts);
      if (lines % LINES_PER_CLOCK_CHECK !== 0 || performance.now() - turnStart < TURN_BUDGET_MS) continue;
      countInvalid();
      await yieldToLoop();
      turnStart = performance.now();
      endpoints = [...this.endpoints.values()];
      if (this.closed) {
        const samples = cursor.countRest();
        for (const endpoint of endpoints) endpoint.dropBeforeQueue('shutdown', samples);
        return;
      }
    }
    countInvalid();
    while (!this.series.sweep(performance.now() + TURN_BUDGET_MS)) await yieldToLoop();
    for (const endpoint of this.endpoints.values()) endpoint.endPush();
  }

  /**
   * Applies a new list: unchanged remotes keep running; a changed one is replaced and its successor takes
   * over its queued samples; a removed one is flushed briefly in the background, then stopped.
   */
  reconfigure(configs: RemoteWriteConfig[]): void {
    if (this.closed) return;
    const next = new Map<string, Endpoint>();
    const deps = { logger: this.deps.logger, metrics: this.metrics, secrets: this.deps.secrets, now: this.now };
    for (const config of configs) {
      const current = this.endpoints.get(config.name);
      if (current) this.endpoints.delete(config.name);
      if (current && current.fingerprint === fingerprint(config)) {
        next.set(config.name, current);
        continue;
      }
      const endpoint = new Endpoint(config, deps);
      current?.handOverTo(endpoint);
      next.set(config.name, endpoint);
    }
    for (const removed of this.endpoints.values()) {
      const closing = removed.close(DEFAULT_CLOSE_TIMEOUT_MS).finally(() => this.retiring.delete(closing));
      this.retiring.add(closing);
    }
    this.endpoints = next;
    let slot = 0;
    for (const endpoint of next.values()) endpoint.slot = slot++;
    this.series.remotesChanged();
  }

  /** Stops reading pushes, tries to send what is queued within `timeoutMs`, then stops; leaves no timer behind. */
  async close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const push of this.waiting.splice(0)) {
      const samples = countSamples(push.body);
      for (const endpoint of this.endpoints.values()) endpoint.dropBeforeQueue('shutdown', samples);
    }
    await this.reading;
    await Promise.all([...[...this.endpoints.values()].map((endpoint) => endpoint.close(timeoutMs)), ...this.retiring]);
  }
}

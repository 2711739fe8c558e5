/**
 * One remote: samples in (relabeled, batched, sealed into a bounded queue), requests out, one at a time,
 * in order. A failed request is retried with backoff on 5xx, 429 and network errors, dropped and counted on
 * any other answer (as Prometheus's queue_manager.go). Logs one line per change of state, never a
 * credential (every secret is registered with the redactor before it is used).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RemoteWriteConfig } from '../config/index.js';
import type { Logger, SecretRegistry } from '../log/index.js';
import { AuthHeaderError, requestHeaders } from './auth-headers.js';
import { retryDelay } from './backoff.js';
import { OpenBatch, type SealedBatch } from './batch.js';
import { BatchQueue } from './batch-queue.js';
import { sendWriteRequest, type SendOutcome } from './http-send.js';
import type { RemoteWriteMetrics } from './metrics.js';
import { SeriesLabeler } from './series-labels.js';
import { notSent, type PushSeries, type SeriesRecord, type SeriesRow } from './push-series.js';

export interface EndpointDeps {
  logger: Logger;
  metrics: RemoteWriteMetrics;
  secrets: SecretRegistry;
  now: () => number;
}

type State = 'ok' | 'failing' | 'rejecting';

/** What identifies a remote's configuration (compiled rules by their source), to keep unchanged ones on reload. */
export function fingerprint(config: RemoteWriteConfig): string {
  return JSON.stringify({ ...config, relabel: config.relabel.source });
}

export class Endpoint {
  readonly name: string;
  readonly fingerprint: string;
  private readonly url: URL;
  private readonly labeler: SeriesLabeler;
  /** Its index among the remotes of the current push (records of a series are kept per slot). */
  slot = 0;
  private readonly open = new OpenBatch();
  private queue = new BatchQueue();
  private inFlight: SealedBatch | undefined;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly abort = new AbortController();
  private deadlineTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private state: State = 'ok';
  private dropping = false;
  private readonly pushDrops = { relabel: 0, invalid_name: 0, invalid: 0 };

  constructor(
    private readonly config: RemoteWriteConfig,
    private readonly deps: EndpointDeps,
  ) {
    this.name = config.name;
    this.fingerprint = fingerprint(config);
    this.url = new URL(config.url);
    this.labeler = new SeriesLabeler(config.relabel);
    const tls = config.tls;
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            maxSockets: 1,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            servername: tls.serverName,
            rejectUnauthorized: !tls.insecureSkipVerify,
          })
        : new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const auth = config.auth;
    if (auth?.kind === 'basic' && auth.password !== undefined) deps.secrets.add(auth.password);
    if (auth?.kind === 'authorization' && auth.credentials !== undefined) deps.secrets.add(auth.credentials);
    deps.metrics.init(this.name);
  }

  /** Samples waiting: in flight, queued and in the batch being filled. */
  get pending(): number {
    return (this.inFlight?.samples ?? 0) + this.queue.samples + this.open.samples;
  }

  add(table: PushSeries, row: SeriesRow, value: number, timestampMs: number): void {
    if (this.stopped) return;
    const records = table.recordsOf(row);
    const record = (records[this.slot] ??= this.recordOf(table, row));
    if (record.start < 0) {
      this.pushDrops[record.reason]++;
      return;
    }
    this.open.add(record.labels, record.start, record.end, value, timestampMs, this.deps.now());
    if (this.open.samples >= this.config.queue.maxSamplesPerSend) this.sealOpen();
  }

  /** What this remote sends for a series it meets for the first time. */
  private recordOf(table: PushSeries, row: SeriesRow): SeriesRecord {
    if (!this.labeler.rewrites) {
      const served = table.encodeServed(row);
      if (served !== undefined) return served;
    }
    const read = row.parsed(table.lineReader);
    if (read === undefined) return notSent('invalid');
    const outcome = this.labeler.labelsOf(read.name, read.labels);
    if (!outcome.kept) return notSent(outcome.reason);
    return table.encode(outcome.labels);
  }

  /** Counts what a push could not deliver before it reached the queue (unreadable lines, a push dropped whole). */
  dropBeforeQueue(reason: 'invalid' | 'queue_full' | 'shutdown', samples: number): void {
    this.deps.metrics.drop(this.name, reason, samples);
  }

  endPush(): void {
    const { metrics } = this.deps;
    metrics.drop(this.name, 'relabel', this.pushDrops.relabel);
    metrics.drop(this.name, 'invalid_name', this.pushDrops.invalid_name);
    metrics.drop(this.name, 'invalid', this.pushDrops.invalid);
    this.pushDrops.relabel = this.pushDrops.invalid_name = this.pushDrops.invalid = 0;
    if (this.stopped) return;
    // As Prometheus: a partial batch goes out once batch_send_deadline has passed since it was started.
    if (this.open.samples > 0 && this.deadlineTimer === undefined) {
      const wait = Math.max(0, (this.open.openedAt ?? 0) + this.config.queue.batchSendDeadlineMs - this.deps.now());
      this.deadlineTimer = setTimeout(() => {
        this.deadlineTimer = undefined;
        if (this.open.samples > 0 && !this.stopped) this.sealOpen();
      }, wait);
      this.deadlineTimer.unref();
    }
    this.updatePending();
  }

  private sealOpen(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.queue.push(this.open.seal());
    this.enforceCapacity();
    this.kick();
  }

  private enforceCapacity(): void {
    const limit = this.config.queue.capacity - this.open.samples - (this.inFlight?.samples ?? 0);
    const dropped = this.queue.trimTo(limit);
    if (dropped === 0) return;
    this.deps.metrics.drop(this.name, 'queue_full', dropped);
    if (!this.dropping) {
      this.dropping = true;
      this.deps.logger.warn('remote_write: queue full, dropping the oldest samples', {
        remote: this.name,
        capacity: this.config.queue.capacity,
      });
    }
  }

  private updatePending(): void {
    this.deps.metrics.pending.labels(this.name).set(this.pending);
  }

  private kick(): void {
    this.updatePending();
    if (this.running === undefined && !this.stopped) this.running = this.run();
  }

  private async run(): Promise<void> {
    for (let batch = this.queue.shift(); batch !== undefined && !this.stopped; batch = this.queue.shift()) {
      this.inFlight = batch;
      await this.deliver(batch);
      if (this.stopped) break; // the batch is the stopper's to count or hand over
      this.inFlight = undefined;
      this.updatePending();
    }
    this.running = undefined;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async attempt(batch: SealedBatch): Promise<SendOutcome> {
    let headers: Record<string, string>;
    try {
      headers = await requestHeaders(this.config.headers, this.config.auth, this.deps.secrets);
    } catch (err) {
      if (!(err instanceof AuthHeaderError)) throw err;
      return { kind: 'retry', reason: 'network', detail: err.message };
    }
    if (this.stopped) return { kind: 'aborted' };
    const { now } = this.deps;
    return sendWriteRequest({
      url: this.url,
      body: batch.body,
      headers,
      agent: this.agent,
      timeoutMs: this.config.remoteTimeoutMs,
      signal: this.abort.signal,
      now,
    });
  }

  private async deliver(batch: SealedBatch): Promise<void> {
    const { metrics } = this.deps;
    for (let retries = 0; ;) {
      const outcome = await this.attempt(batch);
      if (outcome.kind !== 'aborted')
        metrics.request(
          this.name,
          outcome.kind === 'retry' && outcome.status === undefined ? 'none' : String(outcome.status),
        );
      switch (outcome.kind) {
        case 'aborted':
          return;
        case 'ok':
          metrics.sent.labels(this.name).inc(batch.samples);
          metrics.lastSuccess.labels(this.name).set(this.deps.now() / 1000);
          this.dropping = false;
          this.setState('ok', {});
          return;
        case 'reject':
          metrics.failed.labels(this.name).inc(batch.samples);
          metrics.drop(this.name, 'rejected', batch.samples);
          this.setState('rejecting', { status: outcome.status, detail: outcome.detail });
          return;
        case 'retry': {
          this.setState('failing', { reason: outcome.reason, detail: outcome.detail });
          retries++;
          const delay = retryDelay(this.config.queue, retries, outcome.retryAfterMs);
          if (!(await this.sleep(delay))) return;
          metrics.retried.labels(this.name).inc(batch.samples);
          break;
        }
        default: {
          const unreachable: never = outcome;
          throw new Error(`remote_write: unexpected outcome ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  /** Resolves true after `ms`, or false at once when the endpoint is stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      if (signal.aborted) return resolve(false);
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private setState(next: State, fields: Record<string, string | number>): void {
    const previous = this.state;
    this.state = next;
    if (next === previous) return;
    const { logger } = this.deps;
    switch (next) {
      case 'ok':
        logger.info('remote_write: receiver accepts samples again', { remote: this.name });
        break;
      case 'failing':
        logger.warn('remote_write: send failed, retrying with backoff', { remote: this.name, ...fields });
        break;
      case 'rejecting':
        logger.error('remote_write: receiver refused a batch; it is dropped, not retried', {
          remote: this.name,
          ...fields,
        });
        break;
      default: {
        const unreachable: never = next;
        throw new Error(`remote_write: unknown state ${String(unreachable)}`);
      }
    }
  }

  /** Seals the batch being filled and waits (at most `timeoutMs`) until everything was sent or refused. */
  private async drain(timeoutMs: number): Promise<void> {
    if (this.open.samples > 0) this.sealOpen();
    if (this.running === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  /** Flushes within `timeoutMs`, then stops; what is left is counted as dropped (reason `shutdown`). */
  async close(timeoutMs: number): Promise<void> {
    if (!this.stopped) await this.drain(timeoutMs);
    this.stop();
    await this.running;
    const left = this.queue.clear() + (this.inFlight?.samples ?? 0) + this.open.samples;
    this.inFlight = undefined;
    if (this.open.samples > 0) this.open.seal();
    this.deps.metrics.drop(this.name, 'shutdown', left);
    this.updatePending();
    this.agent.destroy();
  }

  /**
   * Stops at once and gives its samples (the batch in flight first: it may be sent twice, which receivers
   * accept) to the endpoint that replaces it under the same name after a reload.
   */
  handOverTo(next: Endpoint): void {
    if (this.open.samples > 0) this.queue.push(this.open.seal());
    this.stop();
    const queue = new BatchQueue();
    if (this.inFlight) queue.push(this.inFlight);
    this.inFlight = undefined;
    for (let batch = this.queue.shift(); batch !== undefined; batch = this.queue.shift()) queue.push(batch);
    this.agent.destroy();
    next.adopt(queue);
  }

  private adopt(older: BatchQueue): void {
    this.queue.prependFrom(older);
    this.enforceCapacity();
    if (this.queue.batchCount > 0) this.kick();
    this.updatePending();
  }
}

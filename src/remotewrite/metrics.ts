/**
 * Self-metrics of remote_write, on the injected registry, named after Prometheus's own
 * prometheus_remote_storage_* so their meaning carries over. Label `remote` is the entry's name (never a
 * credential: URLs with userinfo are refused by the config reader).
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Why samples will never reach a remote (bounded):
 * relabel / invalid_name — write_relabel_configs dropped the series, or left it without a valid name;
 * invalid — a line of the served exposition could not be read; queue_full — the oldest samples made room;
 * rejected — the receiver answered a non-retryable status (4xx but 429); shutdown — still queued when the
 * bridge stopped, or the remote was removed by a reload.
 */
export const RW_DROP_REASONS = ['relabel', 'invalid_name', 'invalid', 'queue_full', 'rejected', 'shutdown'] as const;
export type RwDropReason = (typeof RW_DROP_REASONS)[number];

export class RemoteWriteMetrics {
  readonly sent: Counter<'remote'>;
  readonly failed: Counter<'remote'>;
  readonly retried: Counter<'remote'>;
  readonly dropped: Counter<'remote' | 'reason'>;
  readonly pending: Gauge<'remote'>;
  readonly lastSuccess: Gauge<'remote'>;
  readonly requests: Counter<'remote' | 'code'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const p = 'baseten_bridge_remote_write_';
    this.sent = new Counter({
      name: `${p}samples_sent_total`,
      help: 'Samples accepted by the remote-write receiver.',
      labelNames: ['remote'],
      registers,
    });
    this.failed = new Counter({
      name: `${p}samples_failed_total`,
      help:
        'Samples in requests the receiver refused with a non-retryable status ' +
        '(also counted in samples_dropped_total{reason="rejected"}).',
      labelNames: ['remote'],
      registers,
    });
    this.retried = new Counter({
      name: `${p}samples_retried_total`,
      help: 'Samples sent again after a retryable failure (5xx, 429, network error, timeout).',
      labelNames: ['remote'],
      registers,
    });
    this.dropped = new Counter({
      name: `${p}samples_dropped_total`,
      help: 'Samples that will never be sent to the receiver, by reason.',
      labelNames: ['remote', 'reason'],
      registers,
    });
    this.pending = new Gauge({
      name: `${p}samples_pending`,
      help: 'Samples waiting to be sent: queued, being batched or in flight.',
      labelNames: ['remote'],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: `${p}last_success_timestamp_seconds`,
      help: 'Unix time of the last request the receiver accepted (0 before the first).',
      labelNames: ['remote'],
      registers,
    });
    this.requests = new Counter({
      name: `${p}requests_total`,
      help: 'Remote-write requests, by HTTP status code (`none` when no answer arrived).',
      labelNames: ['remote', 'code'],
      registers,
    });
  }

  /** Makes every series of a remote exist from the start (0), so rate() and alerts see it before the first event. */
  init(remote: string): void {
    this.sent.labels(remote).inc(0);
    this.failed.labels(remote).inc(0);
    this.retried.labels(remote).inc(0);
    for (const reason of RW_DROP_REASONS) this.dropped.labels(remote, reason).inc(0);
    this.pending.labels(remote).set(0);
    this.lastSuccess.labels(remote).set(0);
  }

  /** Counts a request by its answer's status code. */
  request(remote: string, code: string): void {
    this.requests.labels(remote, code).inc();
  }

  drop(remote: string, reason: RwDropReason, samples: number): void {
    if (samples > 0) this.dropped.labels(remote, reason).inc(samples);
  }
}

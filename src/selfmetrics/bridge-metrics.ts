/**
 * @module selfmetrics — the bridge's own metrics, on an injected prom-client Registry (never the global one).
 * Names are part of the public contract: dashboards and alerts use them. Prefix `baseten_bridge_`, never `up`
 * or `scrape_*` (those belong to Prometheus).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FAILURE_REASONS } from '../upstream/fetch-result.js';
import { VERSION } from '../version.js';

/** Why a series read from Baseten was not served (`baseten_bridge_series_dropped_total{reason}`). */
export const DROP_REASONS = ['relabel', 'invalid_name', 'duplicate', 'broken_histogram', 'type_conflict'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class BridgeMetrics {
  readonly registry: Registry;
  readonly upstreamUp: Gauge;
  readonly lastSuccess: Gauge;
  readonly dataAge: Gauge;
  readonly fetchDuration: Histogram;
  readonly responseBytes: Gauge;
  readonly seriesScraped: Gauge;
  readonly seriesAfterRelabel: Gauge;
  readonly fetchFailures: Counter<'reason'>;
  readonly upstreamRequests: Counter<'code'>;
  readonly seriesDropped: Counter<'reason'>;
  readonly cycles: Counter;
  readonly configReloadSuccess: Gauge;

  /** Where the data age comes from; the bridge that owns the snapshot store sets it. */
  private dataAgeSource: () => number | undefined = () => undefined;

  constructor(registry: Registry) {
    this.registry = registry;
    const dataAgeSeconds = () => this.dataAgeSource();
    const registers = [registry];
    this.upstreamUp = new Gauge({ name: 'baseten_bridge_upstream_up', help: 'Whether the last fetch of Baseten /metrics succeeded (1) or failed (0).', registers });
    this.lastSuccess = new Gauge({ name: 'baseten_bridge_last_success_timestamp_seconds', help: 'Unix time of the last successful fetch of Baseten /metrics (0 before the first).', registers });
    this.dataAge = new Gauge({
      name: 'baseten_bridge_data_age_seconds',
      help: 'Age of the served Baseten data: seconds since the last successful fetch (NaN before the first).',
      registers,
      collect() {
        this.set(dataAgeSeconds() ?? Number.NaN);
      },
    });
    this.fetchDuration = new Histogram({
      name: 'baseten_bridge_fetch_duration_seconds',
      help: 'Duration of a whole cycle: fetch, parse, relabel and render.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      registers,
    });
    this.responseBytes = new Gauge({ name: 'baseten_bridge_upstream_response_size_bytes', help: 'Size of the last response body from Baseten as received (compressed when gzip was used).', registers });
    this.seriesScraped = new Gauge({ name: 'baseten_bridge_series_scraped', help: 'Series read from Baseten in the last successful fetch.', registers });
    this.seriesAfterRelabel = new Gauge({ name: 'baseten_bridge_series_after_relabel', help: 'Series served after metric_relabel_configs in the last successful fetch.', registers });
    this.fetchFailures = new Counter({ name: 'baseten_bridge_fetch_failures_total', help: 'Failed fetches of Baseten /metrics, by reason.', labelNames: ['reason'], registers });
    this.upstreamRequests = new Counter({ name: 'baseten_bridge_upstream_requests_total', help: 'Requests sent to Baseten /metrics, by HTTP status code (`none` when no response arrived).', labelNames: ['code'], registers });
    this.seriesDropped = new Counter({ name: 'baseten_bridge_series_dropped_total', help: 'Series read from Baseten that were not served, by reason.', labelNames: ['reason'], registers });
    this.cycles = new Counter({ name: 'baseten_bridge_cycles_total', help: 'Fetch cycles started.', registers });
    this.configReloadSuccess = new Gauge({ name: 'baseten_bridge_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.', registers });
    const buildInfo = new Gauge({
      name: 'baseten_bridge_build_info',
      help: 'A metric with a constant 1 labeled by the version of baseten-metrics-bridge and of Node.js.',
      labelNames: ['version', 'nodejs'],
      registers,
    });
    buildInfo.set({ version: VERSION, nodejs: process.version }, 1);
    // Every reason starts at 0 so that rate() and increase() see the first failure.
    for (const reason of FAILURE_REASONS) this.fetchFailures.inc({ reason }, 0);
    for (const reason of DROP_REASONS) this.seriesDropped.inc({ reason }, 0);
    this.upstreamUp.set(0);
    this.lastSuccess.set(0);
    this.configReloadSuccess.set(1);
  }

  readDataAgeFrom(source: () => number | undefined): void {
    this.dataAgeSource = source;
  }
}

export function createBridgeMetrics(): BridgeMetrics {
  return new BridgeMetrics(new Registry());
}

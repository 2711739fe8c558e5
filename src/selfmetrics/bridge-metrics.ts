/**
 * @module selfmetrics — the bridge's own metrics, on an injected prom-client Registry (never the global one).
 * Names are part of the public contract: dashboards and alerts use them. Prefix `baseten_bridge_`, never `up`
 * or `scrape_*` (those belong to Prometheus).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FAILURE_REASONS } from '../upstream/fetch-result.js';
import { VERSION } from '../version.js';

/** Facts read at scrape time from the running bridge. */
export interface LiveFacts {
  dataAgeSeconds(): number | undefined;
  budgetUsed(): number;
  budgetLimit(): number;
  maxStalenessSeconds(): number;
}

const NO_FACTS: LiveFacts = { dataAgeSeconds: () => undefined, budgetUsed: () => 0, budgetLimit: () => 0, maxStalenessSeconds: () => 0 };

/** Bounded classes of invalid upstream lines (`baseten_bridge_invalid_lines_total{kind}`). */
export const INVALID_LINE_KINDS = ['sample', 'metadata', 'eof'] as const;

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
  readonly invalidLines: Counter<'kind'>;
  readonly budgetExhausted: Counter;
  readonly apiKeyReloads: Counter;

  /** The running bridge that gauges read at scrape time; set by the bridge that owns them. */
  private facts: LiveFacts = NO_FACTS;

  constructor(registry: Registry) {
    this.registry = registry;
    const dataAgeSeconds = () => this.facts.dataAgeSeconds();
    const live = () => this.facts;
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
    this.invalidLines = new Counter({ name: 'baseten_bridge_invalid_lines_total', help: 'Lines of Baseten responses that could not be parsed and were skipped (or failed the cycle), by kind.', labelNames: ['kind'], registers });
    this.budgetExhausted = new Counter({ name: 'baseten_bridge_rate_budget_exhausted_total', help: 'Fetches put off because the rate budget for the last 60 s was used up.', registers });
    this.apiKeyReloads = new Counter({ name: 'baseten_bridge_api_key_reloads_total', help: 'Times a different API key was read from its source (rotation).', registers });
    new Gauge({
      name: 'baseten_bridge_rate_budget_used',
      help: 'Requests sent to Baseten in the last 60 seconds.',
      registers,
      collect() {
        this.set(live().budgetUsed());
      },
    });
    new Gauge({
      name: 'baseten_bridge_rate_budget_limit',
      help: 'Requests the bridge may send to Baseten per rolling 60 seconds (upstream.max_requests_per_minute).',
      registers,
      collect() {
        this.set(live().budgetLimit());
      },
    });
    new Gauge({
      name: 'baseten_bridge_max_staleness_seconds',
      help: 'Configured upstream.max_staleness: older Baseten data is no longer served.',
      registers,
      collect() {
        this.set(live().maxStalenessSeconds());
      },
    });
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
    for (const kind of INVALID_LINE_KINDS) this.invalidLines.inc({ kind }, 0);
    this.upstreamUp.set(0);
    this.lastSuccess.set(0);
    this.configReloadSuccess.set(1);
  }

  readFactsFrom(facts: LiveFacts): void {
    this.facts = facts;
  }
}

export function createBridgeMetrics(): BridgeMetrics {
  return new BridgeMetrics(new Registry());
}

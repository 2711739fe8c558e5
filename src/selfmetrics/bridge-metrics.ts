/**
 * The bridge's own `baseten_bridge_*` metrics. Prefix `baseten_bridge_`, never `up` or `scrape_*` (those belong
 * to Prometheus).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BUILD_FAILURE_REASONS, DROP_REASONS, type DropReason } from '../snapshot/index.js';
import { FETCH_FAILURE_REASONS } from '../upstream/index.js';
import { VERSION } from '../version.js';

/** Facts read at scrape time from one running target. */
export interface LiveFacts {
  dataAgeSeconds(): number | undefined;
  budgetUsed(): number;
  budgetLimit(): number;
  maxStalenessSeconds(): number;
}

/** Bounded classes of invalid upstream lines (`baseten_bridge_invalid_lines_total{kind}`). */
export const INVALID_LINE_KINDS = ['sample', 'metadata', 'eof'] as const;

/** The `reason` label of `baseten_bridge_fetch_failures_total`: what the fetch and the build each report. */
const FAILURE_REASONS = [...new Set([...FETCH_FAILURE_REASONS, ...BUILD_FAILURE_REASONS])];

/** Per-target series carry `target`; process-wide ones (build info, config reload) do not. */
const T = 'target';

export class BridgeMetrics {
  readonly registry: Registry;
  readonly upstreamUp: Gauge<'target'>;
  readonly lastSuccess: Gauge<'target'>;
  readonly fetchDuration: Histogram<'target'>;
  readonly responseBytes: Gauge<'target'>;
  readonly seriesScraped: Gauge<'target'>;
  readonly seriesAfterRelabel: Gauge<'target'>;
  readonly engineSeriesWithoutIdentity: Gauge<'target'>;
  readonly fetchFailures: Counter<'target' | 'reason'>;
  readonly upstreamRequests: Counter<'target' | 'code'>;
  readonly seriesDropped: Counter<'target' | 'reason'>;
  readonly cycles: Counter<'target'>;
  readonly configReloadSuccess: Gauge;
  readonly invalidLines: Counter<'target' | 'kind'>;
  readonly budgetExhausted: Counter<'target'>;
  readonly apiKeyReloads: Counter<'target'>;
  readonly emptyFetches: Counter<'target'>;
  readonly stateWriteFailures: Counter;

  /** The running targets that gauges read at scrape time, by name. */
  private readonly facts = new Map<string, LiveFacts>();

  constructor(registry: Registry) {
    this.registry = registry;
    const facts = this.facts;
    // Reads each running target's facts at scrape time.
    const perTarget = (gauge: Gauge<'target'>, read: (f: LiveFacts) => number | undefined) => {
      gauge.reset();
      for (const [target, f] of facts) gauge.set({ target }, read(f) ?? Number.NaN);
    };
    const registers = [registry];
    const labelNames = [T] as const;
    this.upstreamUp = new Gauge({
      name: 'baseten_bridge_upstream_up',
      help: 'Whether the last fetch of Baseten /metrics succeeded (1) or failed (0).',
      labelNames,
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'baseten_bridge_last_success_timestamp_seconds',
      help: 'Unix time of the last successful fetch of Baseten /metrics (0 before the first).',
      labelNames,
      registers,
    });
    new Gauge({
      name: 'baseten_bridge_data_age_seconds',
      help: 'Age of the served Baseten data: seconds since the last successful fetch (NaN before the first).',
      labelNames,
      registers,
      collect() {
        perTarget(this, (f) => f.dataAgeSeconds());
      },
    });
    this.fetchDuration = new Histogram({
      name: 'baseten_bridge_fetch_duration_seconds',
      help: 'Duration of a whole cycle: fetch, parse, relabel and render.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      labelNames,
      registers,
    });
    this.responseBytes = new Gauge({
      name: 'baseten_bridge_upstream_response_size_bytes',
      help: 'Size of the last response body from Baseten as received (compressed when gzip was used).',
      labelNames,
      registers,
    });
    this.seriesScraped = new Gauge({
      name: 'baseten_bridge_series_scraped',
      help: 'Series read from Baseten in the last successful fetch.',
      labelNames,
      registers,
    });
    this.seriesAfterRelabel = new Gauge({
      name: 'baseten_bridge_series_after_relabel',
      help: 'Series served after metric_relabel_configs in the last successful fetch.',
      labelNames,
      registers,
    });
    this.engineSeriesWithoutIdentity = new Gauge({
      name: 'baseten_bridge_engine_series_without_identity',
      help:
        'Serving-engine series (vLLM, SGLang) of the last successful fetch ' +
        'whose deployment had no platform series in it, so no Baseten ' +
        'model_id/model_name could be attached.',
      labelNames,
      registers,
    });
    this.fetchFailures = new Counter({
      name: 'baseten_bridge_fetch_failures_total',
      help: 'Failed fetches of Baseten /metrics, by reason.',
      labelNames: [T, 'reason'],
      registers,
    });
    this.upstreamRequests = new Counter({
      name: 'baseten_bridge_upstream_requests_total',
      help: 'Requests sent to Baseten /metrics, by HTTP status code (`none` when no response arrived).',
      labelNames: [T, 'code'],
      registers,
    });
    this.seriesDropped = new Counter({
      name: 'baseten_bridge_series_dropped_total',
      help: 'Series read from Baseten that were not served, by reason.',
      labelNames: [T, 'reason'],
      registers,
    });
    this.cycles = new Counter({
      name: 'baseten_bridge_cycles_total',
      help: 'Fetch cycles started.',
      labelNames,
      registers,
    });
    this.configReloadSuccess = new Gauge({
      name: 'baseten_bridge_config_last_reload_successful',
      help: 'Whether the last configuration reload attempt was successful.',
      registers,
    });
    this.invalidLines = new Counter({
      name: 'baseten_bridge_invalid_lines_total',
      help: 'Lines of Baseten responses that could not be parsed and were skipped (or failed the cycle), by kind.',
      labelNames: [T, 'kind'],
      registers,
    });
    this.budgetExhausted = new Counter({
      name: 'baseten_bridge_rate_budget_exhausted_total',
      help: 'Fetches put off because the rate budget for the last 60 s was used up.',
      labelNames,
      registers,
    });
    // A good fetch that serves nothing is not a failure (upstream_up stays 1), but it is never what anyone wants.
    this.emptyFetches = new Counter({
      name: 'baseten_bridge_empty_fetches_total',
      help: 'Successful fetches that served no series (Baseten sent none, or every series was dropped).',
      labelNames,
      registers,
    });
    this.apiKeyReloads = new Counter({
      name: 'baseten_bridge_api_key_reloads_total',
      help: 'Times a different API key was read from its source (rotation).',
      labelNames,
      registers,
    });
    this.stateWriteFailures = new Counter({
      name: 'baseten_bridge_state_write_failures_total',
      help:
        'Writes of the rate budget state file in --storage.path that failed ' +
        '(ENOSPC, EROFS, ...): a restart could then spend more than the budget.',
      registers,
    });
    new Gauge({
      name: 'baseten_bridge_rate_budget_used',
      help:
        "Requests sent to Baseten in the last 60 seconds with this target's " +
        'key (targets that share a key share the budget).',
      labelNames,
      registers,
      collect() {
        perTarget(this, (f) => f.budgetUsed());
      },
    });
    new Gauge({
      name: 'baseten_bridge_rate_budget_limit',
      help:
        'Requests the bridge may send to Baseten per rolling 60 seconds with ' +
        "this target's key (max_requests_per_minute).",
      labelNames,
      registers,
      collect() {
        perTarget(this, (f) => f.budgetLimit());
      },
    });
    new Gauge({
      name: 'baseten_bridge_max_staleness_seconds',
      help: 'Configured max_staleness: older Baseten data is no longer served.',
      labelNames,
      registers,
      collect() {
        perTarget(this, (f) => f.maxStalenessSeconds());
      },
    });
    const buildInfo = new Gauge({
      name: 'baseten_bridge_build_info',
      help: 'A metric with a constant 1 labeled by the version of baseten-metrics-bridge and of Node.js.',
      labelNames: ['version', 'nodejs'],
      registers,
    });
    buildInfo.set({ version: VERSION, nodejs: process.version }, 1);
    this.configReloadSuccess.set(1);
  }

  /** The metrics of one target, its `target` label filled in; every labeled series starts at 0. */
  forTarget(target: string, facts: LiveFacts): TargetMetrics {
    this.facts.set(target, facts);
    // Every reason starts at 0 so that rate() and increase() see the first failure.
    for (const reason of FAILURE_REASONS) this.fetchFailures.inc({ target, reason }, 0);
    for (const reason of DROP_REASONS) this.seriesDropped.inc({ target, reason }, 0);
    for (const kind of INVALID_LINE_KINDS) this.invalidLines.inc({ target, kind }, 0);
    for (const counter of [this.cycles, this.budgetExhausted, this.apiKeyReloads, this.emptyFetches])
      counter.inc({ target }, 0);
    this.upstreamUp.set({ target }, 0);
    this.lastSuccess.set({ target }, 0);
    return new TargetMetrics(this, target);
  }

  /** A target that left the config: its series go with it. */
  removeTarget(target: string): void {
    this.facts.delete(target);
    const all = [
      this.upstreamUp,
      this.lastSuccess,
      this.fetchDuration,
      this.responseBytes,
      this.seriesScraped,
      this.seriesAfterRelabel,
      this.engineSeriesWithoutIdentity,
      this.fetchFailures,
      this.upstreamRequests,
      this.seriesDropped,
      this.cycles,
      this.invalidLines,
      this.budgetExhausted,
      this.apiKeyReloads,
      this.emptyFetches,
    ];
    for (const metric of all) void removeMatching(metric as unknown as Removable, target);
  }
}

interface Removable {
  get(): Promise<{ values: Array<{ labels: Record<string, string | number> }> }>;
  remove(labels: Record<string, string | number>): void;
}

/** prom-client removes one label set at a time: find every set of the target. */
async function removeMatching(metric: Removable, target: string): Promise<void> {
  for (const { labels } of (await metric.get()).values) {
    if (labels.target !== target) continue;
    // A histogram reports its buckets and sums as values: remove by its own labels, without `le`.
    const { le: _le, ...own } = labels;
    metric.remove(own);
  }
}

/** One target's view of the metrics: the same names as BridgeMetrics, the `target` label bound. */
export class TargetMetrics {
  constructor(
    private readonly all: BridgeMetrics,
    readonly target: string,
  ) {}

  upstreamUp(value: number): void {
    this.all.upstreamUp.set({ target: this.target }, value);
  }
  lastSuccess(seconds: number): void {
    this.all.lastSuccess.set({ target: this.target }, seconds);
  }
  responseBytes(bytes: number): void {
    this.all.responseBytes.set({ target: this.target }, bytes);
  }
  seriesScraped(n: number): void {
    this.all.seriesScraped.set({ target: this.target }, n);
  }
  seriesAfterRelabel(n: number): void {
    this.all.seriesAfterRelabel.set({ target: this.target }, n);
  }
  engineSeriesWithoutIdentity(n: number): void {
    this.all.engineSeriesWithoutIdentity.set({ target: this.target }, n);
  }
  fetchTimer(): () => void {
    const end = this.all.fetchDuration.startTimer({ target: this.target });
    return () => void end();
  }
  fetchFailure(reason: (typeof FAILURE_REASONS)[number]): void {
    this.all.fetchFailures.inc({ target: this.target, reason });
  }
  upstreamRequest(code: string): void {
    this.all.upstreamRequests.inc({ target: this.target, code });
  }
  seriesDropped(reason: DropReason, n: number): void {
    this.all.seriesDropped.inc({ target: this.target, reason }, n);
  }
  invalidLine(kind: string): void {
    this.all.invalidLines.inc({ target: this.target, kind });
  }
  cycle(): void {
    this.all.cycles.inc({ target: this.target });
  }
  budgetExhausted(): void {
    this.all.budgetExhausted.inc({ target: this.target });
  }
  apiKeyReload(): void {
    this.all.apiKeyReloads.inc({ target: this.target });
  }
  emptyFetch(): void {
    this.all.emptyFetches.inc({ target: this.target });
  }
}

export function createBridgeMetrics(): BridgeMetrics {
  return new BridgeMetrics(new Registry());
}

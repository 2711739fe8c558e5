/**
 * Bridge health: is the bridge fetching, how fresh is its data against its max staleness, how much of
 * Baseten's 6-per-minute budget it spends, what fails and why, what relabeling keeps, and the process itself
 * (memory against its limit, CPU, heap, event loop).
 */
import { buildDashboard } from './dashboard.js';
import { q, stat, timeseries, UNITS } from './panels.js';
import { bridgeVariables } from './variables.js';

const I = 'instance=~"$instance"';
/** Per-target series (every baseten_bridge_* but build info and config reload) are also chosen by target. */
const T = 'instance=~"$instance", target=~"$target"';
const RATE = '[$__rate_interval]';
/**
 * prom-client's process metrics have names every Node.js process exports: keep the bridges' only (with the
 * instance variable's `All`, `instance=~".*"` would match every Node.js target of the Prometheus).
 */
const OWN = `and on (job, instance) baseten_bridge_build_info{${I}}`;
const own = (metric: string) => `${metric}{${I}} ${OWN}`;

export function bridgeHealth() {
  return buildDashboard({
    uid: 'baseten-bridge-health',
    title: 'Baseten / Bridge health',
    description:
      'The baseten-metrics-bridge itself: upstream status, data freshness, rate budget, failures and relabeling.',
    variables: bridgeVariables(),
    rows: [
      {
        title: 'Status',
        panels: [
          stat({
            title: 'Upstream up',
            description: '1 when the last fetch of Baseten /metrics succeeded, 0 when it failed.',
            unit: UNITS.count,
            queries: [q(`min by (instance, target) (baseten_bridge_upstream_up{${T}})`, '{{target}} {{instance}}')],
          }),
          stat({
            title: 'Data age',
            description: 'Seconds since the last successful fetch.',
            unit: UNITS.seconds,
            queries: [
              q(`max by (instance, target) (baseten_bridge_data_age_seconds{${T}})`, '{{target}} {{instance}}'),
            ],
          }),
          stat({
            title: 'Config reload',
            description:
              '1 when the last configuration reload applied, 0 when it was refused (the old config keeps running).',
            unit: UNITS.count,
            queries: [q(`min by (instance) (baseten_bridge_config_last_reload_successful{${I}})`, '{{instance}}')],
          }),
          stat({
            title: 'Version',
            description: 'Bridge and Node.js versions (baseten_bridge_build_info).',
            unit: UNITS.count,
            queries: [
              q(
                `count by (instance, version, nodejs) (baseten_bridge_build_info{${I}})`,
                '{{version}} (node {{nodejs}})',
              ),
            ],
          }),
        ],
      },
      {
        title: 'Freshness and budget',
        panels: [
          timeseries({
            title: 'Data age vs max staleness',
            description:
              'Age of the served data against upstream.max_staleness: past it, the ' +
              'bridge stops serving Baseten series.',
            unit: UNITS.seconds,
            min: 0,
            queries: [
              q(`baseten_bridge_data_age_seconds{${T}}`, 'data age {{target}} {{instance}}'),
              q(`baseten_bridge_max_staleness_seconds{${T}}`, 'max staleness {{target}} {{instance}}'),
            ],
          }),
          timeseries({
            title: 'Rate budget: requests per minute',
            description:
              'Requests the bridge sent to Baseten in the last 60 s against its ' +
              'configured budget; Baseten allows 6 per minute for the whole organization.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(`baseten_bridge_rate_budget_used{${T}}`, 'used {{target}} {{instance}}'),
              q(`baseten_bridge_rate_budget_limit{${T}}`, 'limit {{target}} {{instance}}'),
              q(
                `sum by (instance, target) (increase(baseten_bridge_upstream_requests_total{${T}}[1m]))`,
                'sent in 1m {{target}} {{instance}}',
              ),
            ],
          }),
          timeseries({
            title: 'Fetch duration',
            description: 'p50 and p95 of a whole cycle: fetch, parse, relabel and render.',
            unit: UNITS.seconds,
            queries: [0.5, 0.95].map((phi) =>
              q(
                `histogram_quantile(${phi}, sum by (le, instance, target) ` +
                  `(rate(baseten_bridge_fetch_duration_seconds_bucket{${T}}${RATE})))`,
                `p${Math.round(phi * 100)} {{target}} {{instance}}`,
              ),
            ),
          }),
          timeseries({
            title: 'Upstream response size',
            description: 'Size of the last response from Baseten as received (compressed when gzip was used).',
            unit: UNITS.bytes,
            queries: [q(`baseten_bridge_upstream_response_size_bytes{${T}}`, '{{target}} {{instance}}')],
          }),
        ],
      },
      {
        title: 'Failures',
        panels: [
          timeseries({
            title: 'Fetch failures by reason',
            description:
              'Failed fetches by reason: timeout, network, redirect, auth (key ' +
              'rejected), rate_limited (Baseten answered 429), http_4xx, http_5xx, ' +
              'body_too_large, parse.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (instance, target, reason) (increase(baseten_bridge_fetch_failures_total{${T}}${RATE}))`,
                '{{reason}} {{target}} {{instance}}',
              ),
            ],
          }),
          timeseries({
            title: 'Upstream requests by status',
            description: 'Requests sent to Baseten by HTTP status (none: no response arrived).',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (instance, target, code) (increase(baseten_bridge_upstream_requests_total{${T}}${RATE}))`,
                '{{code}} {{target}} {{instance}}',
              ),
            ],
          }),
          timeseries({
            title: 'API key reloads',
            description:
              'Times the bridge picked up a new API key from its key file (rotation without a restart), per hour.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (instance, target) (increase(baseten_bridge_api_key_reloads_total{${T}}[1h]))`,
                '{{target}} {{instance}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'Process',
        panels: [
          timeseries({
            title: 'Memory: resident vs limit',
            description:
              "Resident memory of the whole process (the snapshot builder's worker " +
              "thread included) against the limit it runs under: its cgroup's, or " +
              '--memory.limit (no limit line when none is known). ' +
              'BasetenBridgeMemoryNearLimit fires above 80 % for 5 minutes.',
            unit: UNITS.bytes,
            min: 0,
            queries: [
              q(own('process_resident_memory_bytes'), 'resident {{instance}}'),
              q(`baseten_bridge_memory_limit_bytes{${I}}`, 'limit {{instance}}'),
            ],
          }),
          timeseries({
            title: 'CPU cores used',
            description:
              'CPU time of the whole process per second (1 = one core busy): worker ' +
              'threads, garbage collection and gzip included.',
            unit: UNITS.count,
            min: 0,
            queries: [q(`rate(process_cpu_seconds_total{${I}}${RATE}) ${OWN}`, '{{instance}}')],
          }),
          timeseries({
            title: 'Main thread heap and buffers',
            description:
              "The main thread's V8 heap and the memory outside it that its Buffers " +
              "hold (the served snapshot's text and gzip). The snapshot builder runs " +
              'in a worker thread with its own heap, which only resident memory shows.',
            unit: UNITS.bytes,
            min: 0,
            queries: [
              q(own('nodejs_heap_size_used_bytes'), 'heap used {{instance}}'),
              q(own('nodejs_heap_size_total_bytes'), 'heap total {{instance}}'),
              q(own('nodejs_external_memory_bytes'), 'external {{instance}}'),
            ],
          }),
          timeseries({
            title: 'Event-loop delay',
            description:
              "How late the main thread's timers ran between two scrapes (p99 and " +
              'max), the thread that answers /metrics and /-/healthy. Sampled every ' +
              '10 ms, which the figures include: an idle loop reads about 10 ms.',
            unit: UNITS.seconds,
            min: 0,
            queries: [
              q(own('nodejs_eventloop_lag_p99_seconds'), 'p99 {{instance}}'),
              q(own('nodejs_eventloop_lag_max_seconds'), 'max {{instance}}'),
            ],
          }),
        ],
      },
      {
        title: 'Relabeling',
        panels: [
          timeseries({
            title: 'Series before and after relabeling',
            description: 'Series read from Baseten and series served after metric_relabel_configs.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(`baseten_bridge_series_scraped{${T}}`, 'scraped {{target}} {{instance}}'),
              q(`baseten_bridge_series_after_relabel{${T}}`, 'served {{target}} {{instance}}'),
            ],
          }),
          timeseries({
            title: 'Series dropped by reason',
            description:
              'Series not served per fetch cycle, by reason: relabel (a drop rule), ' +
              'invalid_name, duplicate, broken_histogram, type_conflict.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(
                `sum by (instance, target, reason) (increase(baseten_bridge_series_dropped_total{${T}}${RATE}))`,
                '{{reason}} {{target}} {{instance}}',
              ),
            ],
          }),
        ],
      },
    ],
  });
}

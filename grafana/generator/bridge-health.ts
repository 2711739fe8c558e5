/**
 * Bridge health: is the bridge fetching, how fresh is its data against its max staleness, how much of
 * Baseten's 6-per-minute budget it spends, what fails and why, and what relabeling keeps.
 */
import { buildDashboard } from './dashboard.js';
import { q, stat, timeseries, UNITS } from './panels.js';
import { bridgeVariables } from './variables.js';

const I = 'instance=~"$instance"';
/** Per-target series (every baseten_bridge_* but build info and config reload) are also chosen by target. */
const T = 'instance=~"$instance", target=~"$target"';
const RATE = '[$__rate_interval]';

export function bridgeHealth() {
  return buildDashboard({
    uid: 'baseten-bridge-health',
    title: 'Baseten / Bridge health',
    description: 'The baseten-metrics-bridge itself: upstream status, data freshness, rate budget, failures and relabeling.',
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
            queries: [q(`max by (instance, target) (baseten_bridge_data_age_seconds{${T}})`, '{{target}} {{instance}}')],
          }),
          stat({
            title: 'Config reload',
            description: '1 when the last configuration reload applied, 0 when it was refused (the old config keeps running).',
            unit: UNITS.count,
            queries: [q(`min by (instance) (baseten_bridge_config_last_reload_successful{${I}})`, '{{instance}}')],
          }),
          stat({
            title: 'Version',
            description: 'Bridge and Node.js versions (baseten_bridge_build_info).',
            unit: UNITS.count,
            queries: [q(`count by (instance, version, nodejs) (baseten_bridge_build_info{${I}})`, '{{version}} (node {{nodejs}})')],
          }),
        ],
      },
      {
        title: 'Freshness and budget',
        panels: [
          timeseries({
            title: 'Data age vs max staleness',
            description: 'Age of the served data against upstream.max_staleness: past it, the bridge stops serving Baseten series.',
            unit: UNITS.seconds,
            min: 0,
            queries: [
              q(`baseten_bridge_data_age_seconds{${T}}`, 'data age {{target}} {{instance}}'),
              q(`baseten_bridge_max_staleness_seconds{${T}}`, 'max staleness {{target}} {{instance}}'),
            ],
          }),
          timeseries({
            title: 'Rate budget: requests per minute',
            description: 'Requests the bridge sent to Baseten in the last 60 s against its configured budget; Baseten allows 6 per minute for the whole organization.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(`baseten_bridge_rate_budget_used{${T}}`, 'used {{target}} {{instance}}'),
              q(`baseten_bridge_rate_budget_limit{${T}}`, 'limit {{target}} {{instance}}'),
              q(`sum by (instance, target) (increase(baseten_bridge_upstream_requests_total{${T}}[1m]))`, 'sent in 1m {{target}} {{instance}}'),
            ],
          }),
          timeseries({
            title: 'Fetch duration',
            description: 'p50 and p95 of a whole cycle: fetch, parse, relabel and render.',
            unit: UNITS.seconds,
            queries: [0.5, 0.95].map((phi) =>
              q(
                `histogram_quantile(${phi}, sum by (le, instance, target) (rate(baseten_bridge_fetch_duration_seconds_bucket{${T}}${RATE})))`,
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
            description: 'Failed fetches by reason: timeout, network, redirect, auth (key rejected), rate_limited (Baseten answered 429), http_4xx, http_5xx, body_too_large, parse.',
            unit: UNITS.count,
            min: 0,
            queries: [q(`sum by (instance, target, reason) (increase(baseten_bridge_fetch_failures_total{${T}}${RATE}))`, '{{reason}} {{target}} {{instance}}')],
          }),
          timeseries({
            title: 'Upstream requests by status',
            description: 'Requests sent to Baseten by HTTP status (none: no response arrived).',
            unit: UNITS.count,
            min: 0,
            queries: [q(`sum by (instance, target, code) (increase(baseten_bridge_upstream_requests_total{${T}}${RATE}))`, '{{code}} {{target}} {{instance}}')],
          }),
          timeseries({
            title: 'API key reloads',
            description: 'Times the bridge picked up a new API key from its key file (rotation without a restart), per hour.',
            unit: UNITS.count,
            min: 0,
            queries: [q(`sum by (instance, target) (increase(baseten_bridge_api_key_reloads_total{${T}}[1h]))`, '{{target}} {{instance}}')],
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
            description: 'Series not served per fetch cycle, by reason: relabel (a drop rule), invalid_name, duplicate, broken_histogram, type_conflict.',
            unit: UNITS.count,
            min: 0,
            queries: [q(`sum by (instance, target, reason) (increase(baseten_bridge_series_dropped_total{${T}}${RATE}))`, '{{reason}} {{target}} {{instance}}')],
          }),
        ],
      },
    ],
  });
}

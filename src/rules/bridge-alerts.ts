/**
 * The bridge's own alerts of deploy/prometheus/rules/bridge-alerts.yml (`rules --alerts=bridge`): is it up, is
 * its data fresh, is Baseten accepting its key and its rate, does it serve anything, does its config load, does
 * it have memory left.
 */
import type { AlertOptions } from './alert-options.js';
import { selectBridge } from './bridge-selector.js';
import { withRunbook } from './runbook.js';
import type { AlertingRule, RuleGroup } from './render.js';

export const BRIDGE_ALERTS_HEADER = [
  'Alerts on the bridge itself: is it up, is its data fresh, is Baseten accepting its key and its rate, does',
  'it serve anything, does its config load, does it have memory left.',
  'Every rule selects the bridge\'s series with `--bridge.selector` (default `job="baseten"`, the scrape job of',
  'deploy/prometheus/prometheus.yml and of the Kubernetes ServiceMonitor): if your job is named differently,',
  'generate this file again with yours. With several targets each series carries `target`; the rules compare',
  'series of the same target only.',
];

export function bridgeAlertGroups(options: AlertOptions): RuleGroup[] {
  const alert = (rule: AlertingRule) => withRunbook(options.runbookBaseUrl, rule);
  const bridge = (metric: string, extra?: string) => selectBridge(metric, options.bridgeSelector, extra);
  return [
    {
      name: 'baseten-bridge',
      rules: [
        alert({
          alert: 'BasetenBridgeDown',
          expr: `${bridge('up')} == 0 or absent(${bridge('up')})`,
          for: '2m',
          labels: { severity: 'critical' },
          annotations: {
            threshold: 'down for 2m',
            summary: 'The Baseten metrics bridge ({{ $labels.instance }}) cannot be scraped',
            description: 'Prometheus has not scraped the bridge for 2 minutes: every Baseten panel and alert is blind.',
          },
        }),
        alert({
          alert: 'BasetenBridgeDataStale',
          comment: [
            "Fires at half the bridge's max staleness (data older than that is no longer served at all), or at",
            '180 s for a bridge that does not export baseten_bridge_max_staleness_seconds; and when no fetch has',
            'succeeded since the bridge started (last success 0, data age NaN). Both sides of each comparison are',
            'series of one target of one bridge, with the same labels: they match on all of them (job, instance,',
            'target and whatever your scrape config adds), so several targets and several bridges never collide.',
          ].join('\n'),
          expr: [
            `${bridge('baseten_bridge_data_age_seconds')} > (${bridge('baseten_bridge_max_staleness_seconds')} / 2)`,
            'or',
            `(${bridge('baseten_bridge_data_age_seconds')} > 180 unless ` +
              `${bridge('baseten_bridge_max_staleness_seconds')})`,
            'or',
            `${bridge('baseten_bridge_last_success_timestamp_seconds')} == 0`,
          ].join('\n'),
          for: '2m',
          labels: { severity: 'critical' },
          annotations: {
            threshold: 'half of max staleness (180s without it)',
            summary:
              'The bridge ({{ $labels.instance }}) gets no fresh data from Baseten for target {{ $labels.target }}',
            description:
              "No successful fetch of Baseten's metrics for {{ $value | " +
              'humanizeDuration }} (0s: none since the bridge started); ' +
              'baseten_bridge_fetch_failures_total says why. Past its max staleness ' +
              'the bridge stops serving Baseten series.',
          },
        }),
        alert({
          alert: 'BasetenBridgeKeyRejected',
          comment: [
            'increase() over 10 minutes above 1.5: at least two rejections (a one-off during a key rotation is',
            'not worth a page); with the default 60 s interval it fires about 3 minutes after the key goes bad.',
          ].join('\n'),
          expr: `increase(${bridge('baseten_bridge_fetch_failures_total', 'reason="auth"')}[10m]) > 1.5`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            threshold: '2 rejections in 10m',
            summary: "Baseten rejects the bridge's API key for target {{ $labels.target }} ({{ $labels.instance }})",
            description:
              "Baseten answered 401/403 to the bridge's fetches: the key is wrong, " +
              'revoked or not allowed to export metrics. Create a metrics-only ' +
              'workspace key and replace the key file; the next fetch picks it up.',
          },
        }),
        alert({
          alert: 'BasetenBridgeUpstreamRateLimited',
          expr: `increase(${bridge('baseten_bridge_fetch_failures_total', 'reason="rate_limited"')}[10m]) > 1.5`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '2 rate-limited fetches in 10m',
            summary: 'Baseten rate-limits the bridge for target {{ $labels.target }} ({{ $labels.instance }})',
            description:
              'Baseten answered 429 to the bridge: something else in the ' +
              'organization also calls /metrics (6 requests per minute are shared by ' +
              'all). Remove direct Baseten scrape jobs or raise upstream.interval.',
          },
        }),
        alert({
          alert: 'BasetenBridgeServesNoSeries',
          comment: [
            'A good fetch that served no series is not a failure (upstream_up stays 1, the data is fresh), so no',
            'alert above fires: the relabel rules drop everything, or Baseten sends nothing. Two in 10 minutes,',
            'as for 429s: one empty answer from Baseten is not a config problem.',
          ].join('\n'),
          expr: `increase(${bridge('baseten_bridge_empty_fetches_total')}[10m]) > 1.5`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '2 empty fetches in 10m',
            summary:
              'The bridge ({{ $labels.instance }}) fetches Baseten but serves no ' +
              'series for target {{ $labels.target }}',
            description:
              "Baseten answered the bridge's fetches, but no series was left to " +
              'serve: the relabel rules drop every one ' +
              '(baseten_bridge_series_dropped_total says why), or Baseten sent none. ' +
              'Dashboards stay empty while the bridge looks healthy. Run a few ' +
              'series through baseten-bridge relabel-test --trace.',
          },
        }),
        alert({
          alert: 'BasetenBridgeMemoryNearLimit',
          comment: [
            "Resident memory against the limit the bridge exports (its cgroup's, or --memory.limit); a bridge that",
            'knows no limit exports none, and the alert says nothing rather than guess. 80 %, not 90 %: a changed',
            "body's cycle peaks about 12 % above the steady RSS (bench/RESULTS.md, 250k series), so a bridge steady",
            'at 90 % is killed at its next large cycle. Both series are process-wide (no target) from one scrape',
            'target: they match on every label.',
          ].join('\n'),
          expr: `${bridge('process_resident_memory_bytes')} / ${bridge('baseten_bridge_memory_limit_bytes')} > 0.8`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '80%',
            summary: 'The bridge ({{ $labels.instance }}) uses {{ $value | humanizePercentage }} of its memory limit',
            description:
              "The bridge's resident memory has stayed above 80% of its memory limit " +
              '(baseten_bridge_memory_limit_bytes) for 5 minutes. At the limit the ' +
              'kernel kills it, and every Baseten panel and alert is blind until it ' +
              'restarts. Its memory follows the series it relays ' +
              '(baseten_bridge_series_scraped): raise the limit (README, Memory), or ' +
              'drop families you do not need with metric_relabel_configs.',
          },
        }),
        alert({
          alert: 'BasetenBridgeConfigReloadFailed',
          expr: `${bridge('baseten_bridge_config_last_reload_successful')} == 0`,
          for: '5m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: 'failed reload for 5m',
            summary: 'The bridge refused its new config ({{ $labels.instance }})',
            description:
              "The last reload of the bridge's config failed, so it still runs the " +
              'previous one. Run baseten-bridge check-config on the file to see every problem.',
          },
        }),
      ],
    },
  ];
}

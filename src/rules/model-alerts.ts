/**
 * The model alerts of deploy/prometheus/rules/baseten-alerts.yml (`rules --alerts=models`): latency (end to end,
 * or time to first byte for LLMs), 5xx and 429 ratios, replicas and GPU memory, per model, read through the
 * recording rules of baseten-recording.yml; and the serving engines' (engine-alerts.ts).
 */
import type { AlertOptions } from './alert-options.js';
import { ENGINE_ALERTS_HEADER, engineAlertGroup } from './engine-alerts.js';
import { gpuMemoryAlert } from './gpu-memory.js';
import { forLlms, LLM_MARKER_TEXT, llmModels } from './llm-models.js';
import { DEPLOYMENT_LABELS } from './promql.js';
import { withRunbook } from './runbook.js';
import type { AlertingRule, RuleGroup } from './render.js';

export const MODEL_ALERTS_HEADER = [
  'Alerts on the models behind the bridge. Thresholds are in each expression and repeated in the `threshold`',
  'annotation (shown in notifications). The latency and error alerts need some traffic first',
  '(model:baseten_inference_requests:rate5m > 0.05, i.e. 3 requests a minute, or as many to the engine), so one',
  'slow or failed request on an idle model pages no one.',
  '',
  "`for:` windows: Baseten's data refreshes every 30 s and arrives 1 to 3 minutes after the traffic that caused",
  'it, and the rates look back 5 minutes; a condition must hold for 10 minutes (15–20 for slow, capacity-type',
  'signals) so that one late, bunched-up refresh does not fire an alert.',
  '',
  ...ENGINE_ALERTS_HEADER,
];

/** With traffic: at least 3 requests a minute, so one request on an idle model pages no one. */
const WITH_TRAFFIC = 'and on (model_id, model_name, environment)\nmodel:baseten_inference_requests:rate5m > 0.05';
/** LLMs: the models that exported the LLM marker in the last hour (one scaled to zero meanwhile is still one). */
const LLMS = llmModels('1h');

export function modelAlertGroups(options: AlertOptions): RuleGroup[] {
  const alert = (rule: AlertingRule) => withRunbook(options.runbookBaseUrl, rule);
  return [
    {
      name: 'baseten-models',
      rules: [
        alert({
          alert: 'BasetenModelLatencyHigh',
          comment: [
            'Models that are not LLMs, which exported none of these in the last hour:',
            `${LLM_MARKER_TEXT}.`,
            "An LLM's end-to-end time follows the length of its answers (a healthy one answering at length takes well",
            'over 10s); BasetenModelTimeToFirstByteHigh judges LLMs.',
          ].join('\n'),
          expr: `${forLlms(
            false,
            'model:baseten_end_to_end_response_time_seconds:quantile_rate5m{quantile="0.95"} ' + '> 10',
            LLMS,
          )}\n${WITH_TRAFFIC}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '10s',
            summary:
              '{{ $labels.model_name }} ({{ $labels.environment }}): p95 end-to-end ' +
              'latency {{ $value | humanizeDuration }}',
            description:
              '95% of requests to {{ $labels.model_name }} (model {{ ' +
              '$labels.model_id }}) took up to {{ $value | humanizeDuration }} over ' +
              'the last 5 minutes, above the 10s threshold, for 10 minutes.',
          },
        }),
        alert({
          alert: 'BasetenModelTimeToFirstByteHigh',
          comment:
            `LLMs, judged by how long a user waits before the answer starts: ` +
            `models that exported one of these in\nthe last hour: ` +
            `${LLM_MARKER_TEXT}.`,
          expr: `${forLlms(
            true,
            'model:baseten_time_to_first_byte_seconds:quantile_rate5m{quantile="0.95"} ' + '> 2.5',
            LLMS,
          )}\n${WITH_TRAFFIC}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '2.5s',
            summary:
              '{{ $labels.model_name }} ({{ $labels.environment }}): p95 time to ' +
              'first byte {{ $value | humanizeDuration }}',
            description:
              '95% of requests to the LLM {{ $labels.model_name }} (model {{ ' +
              '$labels.model_id }}) waited up to {{ $value | humanizeDuration }} for ' +
              'their first byte over the last 5 minutes, above the 2.5s threshold, for 10 minutes.',
          },
        }),
        alert({
          alert: 'BasetenModelErrorRatioHigh',
          expr: `model:baseten_inference_error_ratio_5xx:rate5m > 0.05\n${WITH_TRAFFIC}`,
          for: '10m',
          labels: { severity: 'critical' },
          annotations: {
            threshold: '5%',
            summary:
              '{{ $labels.model_name }} ({{ $labels.environment }}): {{ $value | ' +
              'humanizePercentage }} of requests fail with 5xx',
            description:
              '{{ $value | humanizePercentage }} of the requests to {{ ' +
              '$labels.model_name }} (model {{ $labels.model_id }}) answered 5xx ' +
              'over the last 5 minutes, above the 5% threshold, for 10 minutes.',
          },
        }),
        alert({
          alert: 'BasetenModelRateLimitingUsers',
          expr: `model:baseten_inference_error_ratio_429:rate5m > 0.05\n${WITH_TRAFFIC}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: '5%',
            summary:
              '{{ $labels.model_name }} ({{ $labels.environment }}): Baseten answers ' +
              '429 to {{ $value | humanizePercentage }} of requests',
            description:
              'Baseten rejected {{ $value | humanizePercentage }} of the requests to ' +
              '{{ $labels.model_name }} with 429 (too many requests) over the last 5 ' +
              'minutes, above the 5% threshold: the deployment is at its concurrency ' +
              'or replica limit.',
          },
        }),
        alert({
          alert: 'BasetenModelNoActiveReplicas',
          expr: [
            `sum by (${DEPLOYMENT_LABELS}) (baseten_replicas_active) == 0`,
            `and on (${DEPLOYMENT_LABELS})`,
            `sum by (${DEPLOYMENT_LABELS}) (rate(baseten_inference_requests_total[5m])) > 0`,
          ].join('\n'),
          comment:
            'Scale-from-zero cold starts of large models take minutes: 10 minutes is a stuck start, not a cold one.',
          for: '10m',
          labels: { severity: 'critical' },
          annotations: {
            threshold: '0 active replicas with traffic for 10m',
            summary: '{{ $labels.model_name }} ({{ $labels.environment }}): requests arrive but no replica is active',
            description:
              'Deployment {{ $labels.deployment_id }} of {{ $labels.model_name }} ' +
              'has had no active replica for 10 minutes while requests keep ' +
              'arriving: they queue or fail.',
          },
        }),
        alert({
          alert: 'BasetenModelReplicasStuckStarting',
          expr: `sum by (${DEPLOYMENT_LABELS}) (baseten_replicas_starting) > 0`,
          for: '20m',
          labels: { severity: 'warning' },
          annotations: {
            threshold: 'starting for 20m',
            summary:
              '{{ $labels.model_name }} ({{ $labels.environment }}): {{ $value }} replica(s) starting for 20 minutes',
            description:
              'Deployment {{ $labels.deployment_id }} of {{ $labels.model_name }} ' +
              'has had replicas starting for 20 minutes without becoming active: ' +
              'check its logs in Baseten (image pull, model download, out of memory, ' +
              'no GPU capacity).',
          },
        }),
        gpuMemoryAlert(options),
      ],
    },
    engineAlertGroup(options),
  ];
}

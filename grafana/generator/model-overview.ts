/**
 * Model overview: what users of a model feel (latency, errors, 429s) and what serves it (replicas,
 * concurrency, async queue), for the models chosen in the variables.
 */
import { BASETEN_DATA_MIN_INTERVAL, buildDashboard, DASHBOARD_UIDS, dashboardLink } from './dashboard.js';
import { onlyFor, q, stat, timeseries, UNITS } from './panels.js';
import { modelVariables, SEL } from './variables.js';

const RATE = '[$__rate_interval]';

/** `histogram_quantile` over rates summed by `le` and `by`: bucket boundaries come from the data. */
function quantile(family: string, phi: number, by: string[], extra = ''): string {
  const labels = ['le', ...by].join(', ');
  return `histogram_quantile(${phi}, sum by (${labels}) (rate(${family}_bucket{${SEL}${extra}}${RATE})))`;
}

function quantiles(family: string, phis: number[], by: string[] = [], legendSuffix = '') {
  return phis.map((phi) => q(quantile(family, phi, by), `p${Math.round(phi * 100)}${legendSuffix}`));
}

/** Share of requests with a status code matching `codes`, per model; 0 (not no data) without such requests. */
function statusRatio(codes: string, by: string): string {
  const all = `sum by (${by}) (rate(baseten_inference_requests_total{${SEL}}${RATE}))`;
  return (
    `(sum by (${by}) (rate(baseten_inference_requests_total{${SEL}, ` +
    `status_code=~"${codes}"}${RATE})) or ${all} * 0) / ${all}`
  );
}

export function modelOverview() {
  return buildDashboard({
    minInterval: BASETEN_DATA_MIN_INTERVAL,
    uid: DASHBOARD_UIDS.modelOverview,
    title: 'Baseten / Model overview',
    description: 'Latency, traffic, errors, replicas and async queues of Baseten models, from baseten-metrics-bridge.',
    links: [
      dashboardLink(
        'LLM engines',
        DASHBOARD_UIDS.engines,
        "The same models' vLLM and SGLang engines: KV cache, queue, preemptions, time to first token",
      ),
    ],
    variables: modelVariables(),
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Requests per second',
            description: 'All requests to the selected models, every status.',
            unit: UNITS.requestsPerSecond,
            queries: [q(`sum(rate(baseten_inference_requests_total{${SEL}}${RATE}))`, 'requests/s')],
          }),
          stat({
            title: '5xx ratio',
            description: 'Share of requests answered with a 5xx status.',
            unit: UNITS.ratio,
            queries: [
              q(
                `(sum(rate(baseten_inference_requests_total{${SEL}, status_code=~"5.."}${RATE})) ` +
                  `or vector(0)) / sum(rate(baseten_inference_requests_total{${SEL}}${RATE}))`,
                '5xx',
              ),
            ],
          }),
          stat({
            title: 'p95 end-to-end latency',
            description:
              '95th percentile of end-to-end response time (cold start, queueing and ' +
              'inference) across the selected models.',
            unit: UNITS.seconds,
            queries: [q(quantile('baseten_end_to_end_response_time_seconds', 0.95, []), 'p95')],
          }),
          stat({
            title: 'Active replicas',
            description: 'Replicas ready to serve, summed over the selected deployments.',
            unit: UNITS.count,
            queries: [q(`sum(baseten_replicas_active{${SEL}})`, 'active')],
          }),
        ],
      },
      {
        title: 'Latency',
        panels: [
          timeseries({
            title: 'End-to-end latency',
            description:
              'p50, p90, p95 and p99 of end-to-end response time (includes cold ' +
              'start, queueing and inference), across the selected models.',
            unit: UNITS.seconds,
            queries: quantiles('baseten_end_to_end_response_time_seconds', [0.5, 0.9, 0.95, 0.99]),
          }),
          timeseries({
            title: 'End-to-end latency p95 by model',
            description: '95th percentile of end-to-end response time per model and environment.',
            unit: UNITS.seconds,
            queries: [
              q(
                quantile('baseten_end_to_end_response_time_seconds', 0.95, ['model_name', 'environment']),
                '{{model_name}} {{environment}}',
              ),
            ],
          }),
          timeseries({
            title: 'Time to first byte',
            description:
              'p50, p95 and p99 of the time to the first byte of the response: the ' +
              'time to first token of streaming LLMs.',
            unit: UNITS.seconds,
            queries: quantiles('baseten_time_to_first_byte_seconds', [0.5, 0.95, 0.99]),
          }),
          timeseries({
            title: 'Time to first byte p95 by model',
            description: '95th percentile of the time to first byte per model and environment.',
            unit: UNITS.seconds,
            queries: [
              q(
                quantile('baseten_time_to_first_byte_seconds', 0.95, ['model_name', 'environment']),
                '{{model_name}} {{environment}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'Traffic and errors',
        panels: [
          timeseries({
            title: 'Requests by status class',
            description: 'Request rate per model and status class (2xx, 4xx, 5xx).',
            unit: UNITS.requestsPerSecond,
            queries: [
              q(
                `sum by (model_name, status_class) ` +
                  `(label_replace(rate(baseten_inference_requests_total{${SEL}}${RATE}), ` +
                  `"status_class", "\${1}xx", "status_code", "([0-9]).."))`,
                '{{model_name}} {{status_class}}',
              ),
            ],
          }),
          timeseries({
            title: 'Error ratio: 5xx and 429',
            description:
              'Share of requests per model answered 5xx (the model or Baseten ' +
              'failed) and, separately, 429 (Baseten turned the request away: ' +
              'concurrency or replica limit).',
            unit: UNITS.ratio,
            min: 0,
            queries: [
              q(statusRatio('5..', 'model_name'), '5xx {{model_name}}'),
              q(statusRatio('429', 'model_name'), '429 {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Concurrent requests',
            description: 'Requests in flight per model, as Baseten samples them (about every 30 s).',
            unit: UNITS.count,
            queries: [q(`sum by (model_name) (baseten_concurrent_requests{${SEL}})`, '{{model_name}}')],
          }),
          timeseries({
            title: 'Replicas: active vs starting',
            description:
              'Replicas ready to serve and replicas starting up, per model. Starting ' +
              'replicas that never become active point at a failing start.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(`sum by (model_name) (baseten_replicas_active{${SEL}})`, 'active {{model_name}}'),
              q(`sum by (model_name) (baseten_replicas_starting{${SEL}})`, 'starting {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Open websocket connections',
            description: 'Websocket connections open per model.',
            unit: UNITS.count,
            queries: [q(`sum by (model_name) (baseten_ongoing_websocket_connections{${SEL}})`, '{{model_name}}')],
          }),
        ],
      },
      {
        title: 'Async requests',
        panels: [
          timeseries({
            title: 'Async queue size',
            description: 'Async requests waiting in the queue, per model.',
            unit: UNITS.count,
            noValue: onlyFor('deployments that receive async requests'),
            queries: [q(`sum by (model_name) (baseten_async_queue_size{${SEL}})`, '{{model_name}}')],
          }),
          timeseries({
            title: 'Time in async queue',
            description: 'p50 and p95 of the time async requests waited in the queue, per model.',
            unit: UNITS.seconds,
            noValue: onlyFor('deployments that receive async requests'),
            queries: [
              q(quantile('baseten_time_in_async_queue_seconds', 0.5, ['model_name']), 'p50 {{model_name}}'),
              q(quantile('baseten_time_in_async_queue_seconds', 0.95, ['model_name']), 'p95 {{model_name}}'),
            ],
          }),
        ],
      },
      {
        title: 'Payload sizes',
        panels: [
          timeseries({
            title: 'Request size',
            description: 'p50 and p95 of request body size, per model.',
            unit: UNITS.bytes,
            queries: [
              q(quantile('baseten_request_size_bytes', 0.5, ['model_name']), 'p50 {{model_name}}'),
              q(quantile('baseten_request_size_bytes', 0.95, ['model_name']), 'p95 {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Response size',
            description: 'p50 and p95 of response body size, per model.',
            unit: UNITS.bytes,
            queries: [
              q(quantile('baseten_response_size_bytes', 0.5, ['model_name']), 'p50 {{model_name}}'),
              q(quantile('baseten_response_size_bytes', 0.95, ['model_name']), 'p95 {{model_name}}'),
            ],
          }),
        ],
      },
    ],
  });
}

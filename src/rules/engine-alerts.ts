/**
 * The engine alerts of deploy/prometheus/rules/baseten-alerts.yml (`rules --alerts=models`), on what the serving
 * engine of a vLLM or SGLang deployment reports (ENGINES.md): its KV cache full while requests wait, preemptions
 * that do not stop, requests ending in an error or an abort, and a slow time to first token. Per deployment, by the
 * Baseten identity the bridge attaches to the engine series, so an alert names the model.
 */
import type { AlertOptions } from './alert-options.js';
import { ENGINE_FAMILIES, ENGINES, eitherEngine, sumEngines, type EngineFamily } from './engine-families.js';
import { DEPLOYMENT_LABELS, num } from './promql.js';
import { withRunbook } from './runbook.js';
import type { AlertingRule, RuleGroup } from './render.js';
import { thresholdMillis } from './slo-spec.js';

/** p99 time to first token above which BasetenEngineTimeToFirstTokenHigh fires (`--engine.ttft-p99`). */
export const DEFAULT_ENGINE_TTFT_P99_SECONDS = 2.5;

/** Why `value` cannot be `--engine.ttft-p99` (to follow `"value" `), or undefined when it can. */
export function engineTtftP99Problem(value: string): string | undefined {
  const ms = thresholdMillis(value);
  return ms !== undefined && ms > 0 ? undefined : 'is not a duration above 0 such as 2.5s, 800ms or 1m';
}

/** `--engine.ttft-p99`'s text as seconds (checked by engineTtftP99Problem first). */
export function engineTtftP99Seconds(value: string): number {
  return thresholdMillis(value)! / 1000;
}

const W = '[5m]';
/** A share of the KV cache in use above which the engine is out of room (ENGINES.md: ~0.9). */
const KV_FULL = 0.9;
const ERROR_RATIO = 0.05;
/** At least 3 requests a minute, as the model alerts ask: one aborted or slow request on an idle model pages no one. */
const TRAFFIC = 0.05;

function rate(family: EngineFamily, suffix = ''): string {
  return eitherEngine(family, (name) => `rate(${name}${suffix}${W})`);
}

function perDeployment(expr: string, labels = DEPLOYMENT_LABELS): string {
  return sumEngines(labels, expr);
}

/** Requests each deployment's engine finished per second, every reason. */
const FINISHED = perDeployment(rate(ENGINE_FAMILIES.finishedRequests));
/** Requests that ended in an error or were aborted: vLLM's by finished_reason, SGLang's own counter. */
const FAILED = perDeployment(
  [
    eitherEngine(ENGINE_FAMILIES.finishedRequests, (name) => `rate(${name}{finished_reason=~"error|abort"}${W})`, [
      'vllm',
    ]),
    rate(ENGINE_FAMILIES.abortedRequests),
  ].join(' or '),
);

export const ENGINE_ALERTS_HEADER = [
  'Engine alerts (group baseten-engines) read the vLLM and SGLang series, to which the bridge attaches',
  "the deployment's model_id, model_name and environment; a deployment whose engine is neither exports none.",
];

export function engineAlertGroup(options: AlertOptions): RuleGroup {
  const alert = (rule: AlertingRule) => withRunbook(options.runbookBaseUrl, rule);
  const ttft = num(options.engineTtftP99Seconds);
  const ttftQuantiles = ENGINES.map(
    (engine) =>
      `  histogram_quantile(0.99, ${perDeployment(
        eitherEngine(ENGINE_FAMILIES.timeToFirstToken, (name) => `rate(${name}_bucket${W})`, [engine]),
        `${DEPLOYMENT_LABELS}, le`,
      )})`,
  );
  return {
    name: 'baseten-engines',
    rules: [
      alert({
        alert: 'BasetenEngineKvCacheSaturated',
        comment: [
          'Per replica (each engine has its own KV cache), averaged over 5 minutes: one full moment is a busy engine,',
          'not a saturated one. The value is the number of such replicas of the deployment.',
        ].join('\n'),
        expr: [
          `count by (${DEPLOYMENT_LABELS}) (`,
          `  max by (${DEPLOYMENT_LABELS}, replica) ` +
            `(${eitherEngine(ENGINE_FAMILIES.kvCacheUsage, (name) => `avg_over_time(${name}${W})`)}) ` +
            `> ${num(KV_FULL)}`,
          `  and on (${DEPLOYMENT_LABELS}, replica)`,
          `  ${perDeployment(
            eitherEngine(ENGINE_FAMILIES.waiting, (name) => `avg_over_time(${name}${W})`),
            `${DEPLOYMENT_LABELS}, replica`,
          )} > 0`,
          `)`,
        ].join('\n'),
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          threshold: `${num(KV_FULL * 100)}%`,
          summary:
            '{{ $labels.model_name }} ({{ $labels.environment }}): KV cache full ' +
            'with requests waiting on {{ $value }} replica(s)',
          description:
            `On {{ $value }} replica(s) of deployment {{ $labels.deployment_id }} ` +
            `of {{ $labels.model_name }} (model {{ $labels.model_id }}), the ` +
            `serving engine's KV cache has been over ${num(KV_FULL * 100)}% full ` +
            `on average over 5 minutes while requests waited in its queue, for 15 ` +
            `minutes: the engine is out of room, new requests queue and running ` +
            `ones get preempted.`,
        },
      }),
      alert({
        alert: 'BasetenEnginePreemptionsSustained',
        comment:
          'Preemptions a minute. One in every 5-minute window for 15 minutes: ' +
          'the KV cache is too small for the load, not one long prompt.',
        expr: `60 * ${perDeployment(rate(ENGINE_FAMILIES.preemptions))} > 0`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          threshold: 'above 0 for 15m',
          summary:
            '{{ $labels.model_name }} ({{ $labels.environment }}): the engine ' +
            'preempts {{ printf "%.1f" $value }} requests a minute',
          description:
            'The serving engine of deployment {{ $labels.deployment_id }} of {{ ' +
            '$labels.model_name }} (model {{ $labels.model_id }}) has been ' +
            'preempting running requests (evicting their KV cache, to compute it ' +
            'again later) for 15 minutes: its KV cache is too small for the load, ' +
            'and latency climbs.',
        },
      }),
      alert({
        alert: 'BasetenEngineErrorRatioHigh',
        comment:
          'vLLM counts every finished request by finished_reason; SGLang counts ' +
          'aborts apart, over its finished requests.',
        expr: [
          `(\n  ${FAILED}\n  /\n  ${FINISHED}\n) > ${num(ERROR_RATIO)}`,
          `and on (${DEPLOYMENT_LABELS})`,
          `${FINISHED} > ${num(TRAFFIC)}`,
        ].join('\n'),
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          threshold: `${num(ERROR_RATIO * 100)}%`,
          summary:
            '{{ $labels.model_name }} ({{ $labels.environment }}): {{ $value | ' +
            'humanizePercentage }} of engine requests end in an error or an abort',
          description:
            `{{ $value | humanizePercentage }} of the requests the serving engine ` +
            `of deployment {{ $labels.deployment_id }} of {{ $labels.model_name }} ` +
            `(model {{ $labels.model_id }}) finished over the last 5 minutes ended ` +
            `in an error or were aborted, above the ${num(ERROR_RATIO * 100)}% ` +
            `threshold, for 10 minutes.`,
        },
      }),
      alert({
        alert: 'BasetenEngineTimeToFirstTokenHigh',
        comment: [
          "One quantile per engine: vLLM's and SGLang's buckets differ, so their histograms cannot be summed by le.",
          `The threshold is --engine.ttft-p99 (${ttft}s).`,
        ].join('\n'),
        expr: [
          `(\n${ttftQuantiles.join('\n  or\n')}\n) > ${ttft}`,
          `and on (${DEPLOYMENT_LABELS})`,
          `${perDeployment(rate(ENGINE_FAMILIES.timeToFirstToken, '_count'))} > ${num(TRAFFIC)}`,
        ].join('\n'),
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          threshold: `${ttft}s`,
          summary:
            '{{ $labels.model_name }} ({{ $labels.environment }}): p99 time to ' +
            'first token {{ $value | humanizeDuration }}',
          description:
            `99% of the requests to the serving engine of deployment {{ ` +
            `$labels.deployment_id }} of {{ $labels.model_name }} (model {{ ` +
            `$labels.model_id }}) got their first token within {{ $value | ` +
            `humanizeDuration }} over the last 5 minutes, above the ${ttft}s ` +
            `threshold, for 10 minutes.`,
        },
      }),
    ],
  };
}

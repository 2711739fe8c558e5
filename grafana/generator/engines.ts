/**
 * LLM engines: what the serving engine of a vLLM or SGLang deployment shows (ENGINES.md), per Baseten model:
 * saturation (KV cache, requests waiting, preemptions), latency (time to first token, between tokens, end to end,
 * in the queue), throughput, outcomes and speculative decoding. vLLM and SGLang share every panel. The bridge
 * attaches the deployment's model_id, model_name and environment to the engine series, so the variables are the
 * model dashboards' own.
 */
import {
  ENGINE_FAMILIES,
  ENGINE_TITLES,
  ENGINES,
  eitherEngine,
  sumEngines,
  type Engine,
  type EngineFamily,
} from '../../src/rules/engine-families.js';
import { BASETEN_DATA_MIN_INTERVAL, buildDashboard, DASHBOARD_UIDS, dashboardLink } from './dashboard.js';
import { onlyFor, q, timeseries, UNITS, type Query } from './panels.js';
import { modelVariables, SEL } from './variables.js';

const RATE = '[$__rate_interval]';
const F = ENGINE_FAMILIES;

/** Which names of a family a query reads: of some engines only, a histogram's `_bucket` (`suffix`), more matchers. */
interface Pick {
  engines?: readonly Engine[];
  suffix?: string;
  matchers?: string;
}

/** `wrap(name{…})` for every name of the family, joined by `or`. */
function each(family: EngineFamily, wrap: (selector: string) => string, pick: Pick): string {
  return eitherEngine(
    family,
    (name) => wrap(`${name}${pick.suffix ?? ''}{${SEL}${pick.matchers ?? ''}}`),
    pick.engines,
  );
}

function series(family: EngineFamily, pick: Pick = {}): string {
  return each(family, (s) => s, pick);
}

function rate(family: EngineFamily, pick: Pick = {}): string {
  return each(family, (s) => `rate(${s}${RATE})`, pick);
}

/** Per-second rate of a counter of both engines, per `by`. */
function perSecond(family: EngineFamily, by: string): string {
  return sumEngines(by, rate(family));
}

/**
 * p50, p90 and p99 per model, one query per engine (their bucket grids differ: summed by `le` together they would
 * make one histogram of mismatched boundaries), and the mean from `_sum / _count`, which no bucket floor clamps.
 */
function latency(family: EngineFamily): Query[] {
  const quantiles = ENGINES.flatMap((engine) =>
    [0.5, 0.9, 0.99].map((phi) =>
      q(
        `histogram_quantile(${phi}, ` +
          `${sumEngines('le, model_name', rate(family, { engines: [engine], suffix: '_bucket' }))})`,
        `p${Math.round(phi * 100)} {{model_name}} (${ENGINE_TITLES[engine]})`,
      ),
    ),
  );
  const part = (suffix: string) => sumEngines('model_name', rate(family, { suffix }));
  return [...quantiles, q(`${part('_sum')} / ${part('_count')}`, 'mean {{model_name}}')];
}

export function engines() {
  return buildDashboard({
    minInterval: BASETEN_DATA_MIN_INTERVAL,
    uid: DASHBOARD_UIDS.engines,
    title: 'Baseten / LLM engines',
    description:
      'The serving engines (vLLM, SGLang) of Baseten LLM deployments, per ' +
      'Baseten model: KV cache, queue, preemptions, time to first token, ' +
      'inter-token latency, throughput and finish reasons, from ' +
      'baseten-metrics-bridge.',
    links: [
      dashboardLink(
        'Model overview',
        DASHBOARD_UIDS.modelOverview,
        "The selected models' traffic, latency and replicas as Baseten measures them",
      ),
    ],
    variables: modelVariables(),
    rows: [
      {
        title: 'Saturation',
        panels: [
          timeseries({
            title: 'KV-cache usage by replica',
            description:
              'Share of the KV cache in use on each replica, the fullest engine of ' +
              "the replica (vLLM's kv_cache_usage_perc, gpu_cache_usage_perc before " +
              "0.9; SGLang's token_usage). Near 1 with requests waiting, the engine " +
              'is out of room: new requests queue and running ones get preempted.',
            unit: UNITS.ratio,
            min: 0,
            max: 1,
            queries: [q(`max by (model_name, replica) (${series(F.kvCacheUsage)})`, '{{model_name}} {{replica}}')],
          }),
          timeseries({
            title: 'Requests running and waiting',
            description:
              "Requests in the engines' running batches and waiting in their queues, " +
              'per model. Waiting that grows while the KV cache is full is a ' +
              'capacity problem.',
            unit: UNITS.count,
            min: 0,
            queries: [
              q(sumEngines('model_name', series(F.running)), 'running {{model_name}}'),
              q(sumEngines('model_name', series(F.waiting)), 'waiting {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Preemptions by replica',
            description:
              "Requests preempted per second on each replica (vLLM's num_preemptions," +
              " SGLang's retractions): the engine evicted a running request's KV " +
              'cache to make room and will recompute it. Sustained preemptions come ' +
              'before a latency cliff.',
            unit: UNITS.perSecond,
            min: 0,
            queries: [q(perSecond(F.preemptions, 'model_name, replica'), '{{model_name}} {{replica}}')],
          }),
        ],
      },
      {
        title: 'Latency',
        panels: [
          timeseries({
            title: 'Time to first token',
            description:
              "p50, p90 and p99 of the engine's time to first token (queue and " +
              "prefill) per model and engine, and the mean. The engine's own " +
              "measure: Baseten's time to first byte adds routing and its queue.",
            unit: UNITS.seconds,
            queries: latency(F.timeToFirstToken),
          }),
          timeseries({
            title: 'Inter-token latency',
            description:
              'p50, p90 and p99 of the time between output tokens while decoding ' +
              '(vLLM before 0.11: time_per_output_token), per model and engine, and the mean.',
            unit: UNITS.seconds,
            queries: latency(F.interTokenLatency),
          }),
          timeseries({
            title: 'End-to-end request latency',
            description:
              "p50, p90 and p99 of the engine's whole request time, per model and " +
              "engine, and the mean. vLLM's request-phase buckets start at 0.3 s, so " +
              'its quantiles under 0.3 s are interpolated: read the mean there.',
            unit: UNITS.seconds,
            queries: latency(F.endToEnd),
          }),
          timeseries({
            title: 'Queue time',
            description:
              "p50, p90 and p99 of the time requests waited in the engine's queue " +
              "before their first step, per model and engine, and the mean. vLLM's " +
              'first bucket is 0.3 s: a healthy queue time reads as up to 0.3 s in ' +
              'its quantiles, so read the mean.',
            unit: UNITS.seconds,
            queries: latency(F.queueTime),
          }),
        ],
      },
      {
        title: 'Throughput',
        panels: [
          timeseries({
            title: 'Tokens per second',
            description:
              'Prompt tokens prefilled and tokens generated per second, per model ' +
              "(SGLang counts a request's tokens when it finishes).",
            unit: UNITS.perSecond,
            min: 0,
            queries: [
              q(perSecond(F.promptTokens, 'model_name'), 'prompt {{model_name}}'),
              q(perSecond(F.generationTokens, 'model_name'), 'generation {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Prefix-cache hit rate',
            description:
              "Share of prompt tokens found in the prefix cache: vLLM's hits over " +
              "queries (in tokens), and SGLang's own cache_hit_rate, per model.",
            unit: UNITS.ratio,
            min: 0,
            max: 1,
            queries: [
              q(
                `${sumEngines('model_name', rate(F.prefixCacheHits))} / ` +
                  `${sumEngines('model_name', rate(F.prefixCacheQueries))}`,
                '{{model_name}} (vLLM)',
              ),
              q(`avg by (model_name) (${series(F.prefixCacheHitRate)})`, '{{model_name}} (SGLang)'),
            ],
          }),
          timeseries({
            title: 'Speculative decoding acceptance',
            description:
              'Share of the draft tokens the target model accepted, per model. ' +
              'Higher means speculative decoding saves more.',
            unit: UNITS.ratio,
            min: 0,
            max: 1,
            noValue: onlyFor('vLLM deployments with speculative decoding'),
            queries: [
              q(
                `${sumEngines('model_name', rate(F.specDecodeAcceptedTokens))} / ` +
                  `${sumEngines('model_name', rate(F.specDecodeDraftTokens))}`,
                '{{model_name}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'Outcomes',
        panels: [
          timeseries({
            title: 'Finished requests by reason',
            description:
              'Requests the engine finished per second, per model: vLLM by ' +
              'finished_reason (stop, length, abort, error, repetition), SGLang ' +
              'finished and aborted.',
            unit: UNITS.requestsPerSecond,
            min: 0,
            queries: [
              q(
                sumEngines('model_name, finished_reason', rate(F.finishedRequests, { engines: ['vllm'] })),
                '{{model_name}} {{finished_reason}}',
              ),
              q(
                sumEngines('model_name', rate(F.finishedRequests, { engines: ['sglang'] })),
                '{{model_name}} finished (SGLang)',
              ),
              q(sumEngines('model_name', rate(F.abortedRequests)), '{{model_name}} aborted (SGLang)'),
            ],
          }),
          timeseries({
            title: 'Error and abort ratio',
            description:
              'Share of finished requests that ended in an error or were aborted ' +
              '(the client went away, or a timeout), per model: vLLM by ' +
              "finished_reason, SGLang's aborted over finished.",
            unit: UNITS.ratio,
            min: 0,
            queries: [
              q(
                `${sumEngines(
                  'model_name, finished_reason',
                  rate(F.finishedRequests, { engines: ['vllm'], matchers: ', finished_reason=~"error|abort"' }),
                )} ` +
                  `/ ignoring (finished_reason) group_left ` +
                  `${sumEngines('model_name', rate(F.finishedRequests, { engines: ['vllm'] }))}`,
                '{{model_name}} {{finished_reason}}',
              ),
              q(
                `${sumEngines('model_name', rate(F.abortedRequests))} / ` +
                  `${sumEngines('model_name', rate(F.finishedRequests, { engines: ['sglang'] }))}`,
                '{{model_name}} abort (SGLang)',
              ),
            ],
          }),
        ],
      },
    ],
  });
}

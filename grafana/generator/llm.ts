/**
 * LLM: token throughput, per-request decode speed, KV-cache hits, tokens in flight and speculative decoding.
 * These families exist only for LLM (BIS-LLM) deployments, the speculative-decoding ones only where it is on.
 */
import { BASETEN_DATA_MIN_INTERVAL, buildDashboard } from './dashboard.js';
import { onlyFor, q, timeseries, UNITS } from './panels.js';
import { modelVariables, SEL } from './variables.js';

const RATE = '[$__rate_interval]';
const LLM_ONLY = onlyFor('LLM (BIS-LLM) deployments');

function quantile(family: string, phi: number): string {
  return `histogram_quantile(${phi}, sum by (le, model_name) (rate(${family}_bucket{${SEL}}${RATE})))`;
}

function perModel(family: string): string {
  return `sum by (model_name) (rate(${family}{${SEL}}${RATE}))`;
}

export function llm() {
  return buildDashboard({
    minInterval: BASETEN_DATA_MIN_INTERVAL,
    uid: 'baseten-llm',
    title: 'Baseten / LLM',
    description:
      'Tokens, decode speed, KV cache and speculative decoding of Baseten ' +
      'LLM deployments, from baseten-metrics-bridge.',
    variables: modelVariables(),
    rows: [
      {
        title: 'Throughput',
        panels: [
          timeseries({
            title: 'Tokens per second',
            description: 'Input (prompt) and output (generated) tokens per second, per model.',
            unit: UNITS.perSecond,
            noValue: LLM_ONLY,
            queries: [
              q(perModel('baseten_llm_input_tokens_total'), 'input {{model_name}}'),
              q(perModel('baseten_llm_output_tokens_total'), 'output {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Decode speed per request',
            description: 'Tokens per second of each request: p10 (the slow tail), p50 and p90, per model.',
            unit: UNITS.perSecond,
            noValue: LLM_ONLY,
            queries: [0.1, 0.5, 0.9].map((phi) =>
              q(quantile('baseten_llm_tokens_per_second_per_request', phi), `p${Math.round(phi * 100)} {{model_name}}`),
            ),
          }),
          timeseries({
            title: 'Tokens per request',
            description: 'p50 and p95 of input and output tokens per request, per model.',
            unit: UNITS.count,
            noValue: LLM_ONLY,
            queries: [
              q(quantile('baseten_llm_input_tokens_per_request', 0.5), 'input p50 {{model_name}}'),
              q(quantile('baseten_llm_input_tokens_per_request', 0.95), 'input p95 {{model_name}}'),
              q(quantile('baseten_llm_output_tokens_per_request', 0.5), 'output p50 {{model_name}}'),
              q(quantile('baseten_llm_output_tokens_per_request', 0.95), 'output p95 {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'KV-cache hit rate',
            description:
              "Mean share of each request's prompt served from the KV cache (Baseten " +
              'exports a 0–1 ratio histogram), per model.',
            unit: UNITS.ratio,
            min: 0,
            max: 1,
            noValue: LLM_ONLY,
            queries: [
              q(
                `${perModel('baseten_llm_kv_cache_hit_rate_sum')} / ${perModel('baseten_llm_kv_cache_hit_rate_count')}`,
                '{{model_name}}',
              ),
            ],
          }),
        ],
      },
      {
        title: 'In flight',
        panels: [
          timeseries({
            title: 'Tokens in flight',
            description: 'Tokens of the requests in flight now and averaged over the last sampling period, per model.',
            unit: UNITS.count,
            noValue: LLM_ONLY,
            queries: [
              q(`sum by (model_name) (baseten_llm_in_flight_tokens{${SEL}})`, 'now {{model_name}}'),
              q(`sum by (model_name) (baseten_llm_avg_in_flight_tokens{${SEL}})`, 'average {{model_name}}'),
            ],
          }),
          timeseries({
            title: 'Requests in the LLM engine',
            description: 'Requests in flight inside the LLM engine, per model.',
            unit: UNITS.count,
            noValue: LLM_ONLY,
            queries: [q(`sum by (model_name) (baseten_llm_num_requests{${SEL}})`, '{{model_name}}')],
          }),
          timeseries({
            title: 'Speculative decoding acceptance',
            description:
              'Share of draft tokens the target model accepted, per model. Higher ' +
              'means speculative decoding saves more.',
            unit: UNITS.ratio,
            min: 0,
            max: 1,
            noValue: onlyFor('LLM deployments with speculative decoding'),
            queries: [
              q(
                `${perModel('baseten_llm_spec_decode_num_accepted_tokens_total')} / ` +
                  `${perModel('baseten_llm_spec_decode_num_draft_tokens_total')}`,
                '{{model_name}}',
              ),
            ],
          }),
        ],
      },
    ],
  });
}

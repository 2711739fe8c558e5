/**
 * The serving engines' families the simulator relays (ENGINES.md): vLLM's V1 names and SGLang's, each with the
 * HELP text and buckets of the engine's own source (vllm/v1/metrics/loggers.py, vllm/v1/spec_decode/metrics.py,
 * sglang/srt/observability/metrics_collector.py), in the order the engine registers them. A counter's name is
 * prometheus_client's, without `_total`: the exposition adds it, and the `_created` family beside it.
 */
import { bucketSet, type BucketSet } from './buckets.js';
import type { FamilyType } from './families.js';
import { formatPythonFloat } from './python-float.js';

export interface EngineFamily {
  name: string;
  type: FamilyType;
  help: string;
}

/** Bounds as prometheus_client writes them: `le="1.0"`, `le="0.001"`. */
function engineBuckets(bounds: readonly number[]): BucketSet {
  return bucketSet(bounds, formatPythonFloat);
}

/** vLLM's `build_1_2_5_buckets(max_model_len)`: 1, 2, 5, 10, 20, 50… while at most `max`. */
export function oneTwoFiveBuckets(max: number): BucketSet {
  const bounds: number[] = [];
  for (let scale = 1; scale <= max; scale *= 10) {
    for (const mantissa of [1, 2, 5]) if (mantissa * scale <= max) bounds.push(mantissa * scale);
  }
  return engineBuckets(bounds);
}

const family =
  (type: FamilyType) =>
  (name: string, help: string): EngineFamily => ({ name, type, help });
const gauge = family('gauge');
const counter = family('counter');
const histogram = family('histogram');

export const VLLM_BUCKETS = {
  timeToFirstToken: engineBuckets([
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
  ]),
  interToken: engineBuckets([
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
  ]),
  request: engineBuckets([
    0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
  ]),
} as const;

export const VLLM = {
  specDecodeDrafts: counter('vllm:spec_decode_num_drafts', 'Number of spec decoding drafts.'),
  specDecodeDraftTokens: counter('vllm:spec_decode_num_draft_tokens', 'Number of draft tokens.'),
  specDecodeAcceptedTokens: counter('vllm:spec_decode_num_accepted_tokens', 'Number of accepted tokens.'),
  running: gauge('vllm:num_requests_running', 'Number of requests in model execution batches.'),
  waiting: gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.'),
  kvCacheUsage: gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.'),
  prefixCacheQueries: counter(
    'vllm:prefix_cache_queries',
    'Prefix cache queries, in terms of number of queried tokens.',
  ),
  prefixCacheHits: counter('vllm:prefix_cache_hits', 'Prefix cache hits, in terms of number of cached tokens.'),
  preemptions: counter('vllm:num_preemptions', 'Cumulative number of preemption from the engine.'),
  promptTokens: counter('vllm:prompt_tokens', 'Number of prefill tokens processed.'),
  generationTokens: counter('vllm:generation_tokens', 'Number of generation tokens processed.'),
  requestSuccess: counter('vllm:request_success', 'Count of successfully processed requests.'),
  requestPromptTokens: histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.'),
  requestGenerationTokens: histogram('vllm:request_generation_tokens', 'Number of generation tokens processed.'),
  timeToFirstToken: histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'),
  interTokenLatency: histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.'),
  timePerOutputToken: histogram(
    'vllm:request_time_per_output_token_seconds',
    'Histogram of time_per_output_token_seconds per request.',
  ),
  e2eLatency: histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.'),
  queueTime: histogram('vllm:request_queue_time_seconds', 'Histogram of time spent in WAITING phase for request.'),
  inferenceTime: histogram(
    'vllm:request_inference_time_seconds',
    'Histogram of time spent in RUNNING phase for request.',
  ),
  prefillTime: histogram('vllm:request_prefill_time_seconds', 'Histogram of time spent in PREFILL phase for request.'),
  decodeTime: histogram('vllm:request_decode_time_seconds', 'Histogram of time spent in DECODE phase for request.'),
  cacheConfigInfo: gauge('vllm:cache_config_info', 'Information of the LLMEngine CacheConfig'),
} as const satisfies Record<string, EngineFamily>;

/** `finished_reason` values: vLLM creates a `vllm:request_success` series for each at start. */
export const VLLM_FINISHED_REASONS = ['stop', 'length', 'abort', 'error', 'repetition'] as const;

export const SGLANG_BUCKETS = {
  timeToFirstToken: engineBuckets([0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400]),
  interToken: engineBuckets([
    0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2,
    4, 6, 8,
  ]),
  e2e: engineBuckets([
    0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 600, 1200, 1800, 2400,
  ]),
  // ENGINES.md names no bounds for queue time: these are SGLang's QUEUE_TIME_BUCKETS.
  queue: engineBuckets([
    0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300,
    400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000, 2500, 3000,
  ]),
} as const;

export const SGLANG = {
  running: gauge('sglang:num_running_reqs', 'The number of running requests.'),
  queued: gauge('sglang:num_queue_reqs', 'The number of requests in the waiting queue.'),
  tokenUsage: gauge('sglang:token_usage', 'The token usage.'),
  cacheHitRate: gauge('sglang:cache_hit_rate', 'The prefix cache hit rate.'),
  genThroughput: gauge('sglang:gen_throughput', 'The generation throughput (token/s).'),
  promptTokens: counter('sglang:prompt_tokens', 'Number of prefill tokens processed.'),
  generationTokens: counter('sglang:generation_tokens', 'Number of generation tokens processed.'),
  cachedTokens: counter('sglang:cached_tokens', 'Number of cached prompt tokens.'),
  requests: counter('sglang:num_requests', 'Number of requests processed.'),
  abortedRequests: counter('sglang:num_aborted_requests', 'Number of requests aborted.'),
  retractedRequests: counter('sglang:num_retracted_requests', 'Total number of retracted requests.'),
  timeToFirstToken: histogram('sglang:time_to_first_token_seconds', 'Histogram of time to first token in seconds.'),
  interTokenLatency: histogram('sglang:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.'),
  e2eLatency: histogram('sglang:e2e_request_latency_seconds', 'Histogram of End-to-end request latency in seconds'),
  queueTime: histogram('sglang:queue_time_seconds', 'Histogram of queueing time in seconds.'),
} as const satisfies Record<string, EngineFamily>;

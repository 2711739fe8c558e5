/**
 * The metric families the simulator emits: every family of BASETEN.md's table except the vLLM/SGLang
 * engine ones, with its type, HELP text, labels beyond the standard set, and when it is present.
 */

export type FamilyType = 'counter' | 'gauge' | 'histogram';

/**
 * `always`: every deployment. `llm`, `async`: only deployments of that kind. `spec-decode`: LLM
 * deployments with speculative decoding, and only in even minutes (a family that comes and goes).
 */
export type Presence = 'always' | 'llm' | 'async' | 'spec-decode';

export interface FamilySpec {
  name: string;
  type: FamilyType;
  help: string;
  /** Labels after the standard ones (model_id, model_name, deployment_id, [environment, rollout_phase]). */
  extraLabels: readonly string[];
  presence: Presence;
}

/**
 * The name of the LLM pod-hash label. Baseten documents "a hashed pod identifier" on the LLM metrics but
 * not the label's name: `pod_hash` is the simulator's guess, kept in this one constant.
 */
export const POD_HASH_LABEL = 'pod_hash';

const REQ = ['status_code', 'is_async'] as const;
const POD = [POD_HASH_LABEL] as const;

function spec(
  name: string,
  type: FamilyType,
  help: string,
  extraLabels: readonly string[],
  presence: Presence = 'always',
): FamilySpec {
  return { name, type, help, extraLabels, presence };
}

export const FAMILIES = {
  inferenceRequests: spec('baseten_inference_requests_total', 'counter', 'Number of inference requests.', REQ),
  endToEnd: spec(
    'baseten_end_to_end_response_time_seconds',
    'histogram',
    'End-to-end response time, including cold start, queueing and inference.',
    REQ,
  ),
  timeToFirstByte: spec(
    'baseten_time_to_first_byte_seconds',
    'histogram',
    'Time to the first byte of the response.',
    REQ,
  ),
  requestSize: spec('baseten_request_size_bytes', 'histogram', 'Size of request bodies in bytes.', REQ),
  responseSize: spec('baseten_response_size_bytes', 'histogram', 'Size of response bodies in bytes.', REQ),
  replicasActive: spec('baseten_replicas_active', 'gauge', 'Number of replicas ready to serve requests.', []),
  replicasStarting: spec('baseten_replicas_starting', 'gauge', 'Number of replicas starting up.', []),
  concurrentRequests: spec('baseten_concurrent_requests', 'gauge', 'Number of requests in flight.', []),
  websocketConnections: spec(
    'baseten_ongoing_websocket_connections',
    'gauge',
    'Number of open websocket connections.',
    [],
  ),
  cpuUsage: spec(
    'baseten_container_cpu_usage_seconds_total',
    'counter',
    'CPU time consumed by the container in core-seconds.',
    ['replica'],
  ),
  memoryWorkingSet: spec(
    'baseten_container_cpu_memory_working_set_bytes',
    'gauge',
    'Working set memory of the container in bytes.',
    ['replica'],
  ),
  restarts: spec('baseten_container_restarts_total', 'counter', 'Number of container restarts.', []),
  podReadiness: spec('baseten_pod_readiness', 'gauge', 'Number of pods by readiness condition.', ['condition']),
  gpuMemoryUsed: spec('baseten_gpu_memory_used', 'gauge', 'GPU memory used in MiB.', ['replica', 'gpu']),
  gpuUtilization: spec('baseten_gpu_utilization', 'gauge', 'GPU utilization in percent (0-100).', ['replica', 'gpu']),
  asyncQueueSize: spec(
    'baseten_async_queue_size',
    'gauge',
    'Number of async requests waiting in the queue.',
    [],
    'async',
  ),
  timeInAsyncQueue: spec(
    'baseten_time_in_async_queue_seconds',
    'histogram',
    'Time async requests spent in the queue.',
    [],
    'async',
  ),
  asyncWebhookRequests: spec(
    'baseten_async_webhook_requests_total',
    'counter',
    'Number of webhook calls made for async results.',
    [],
    'async',
  ),
  asyncWebhookLatency: spec(
    'baseten_async_webhook_latency_seconds',
    'histogram',
    'Latency of webhook calls for async results.',
    [],
    'async',
  ),
  llmInputTokens: spec('baseten_llm_input_tokens_total', 'counter', 'Input (prompt) tokens processed.', POD, 'llm'),
  llmOutputTokens: spec(
    'baseten_llm_output_tokens_total',
    'counter',
    'Output (generated) tokens produced.',
    POD,
    'llm',
  ),
  llmInputTokensPerRequest: spec(
    'baseten_llm_input_tokens_per_request',
    'histogram',
    'Input tokens per request.',
    POD,
    'llm',
  ),
  llmOutputTokensPerRequest: spec(
    'baseten_llm_output_tokens_per_request',
    'histogram',
    'Output tokens per request.',
    POD,
    'llm',
  ),
  llmTokensPerSecond: spec(
    'baseten_llm_tokens_per_second_per_request',
    'histogram',
    'Decode speed of each request in tokens per second.',
    POD,
    'llm',
  ),
  llmKvCacheHitRate: spec(
    'baseten_llm_kv_cache_hit_rate',
    'histogram',
    "Share of each request's prompt served from the KV cache (0-1).",
    POD,
    'llm',
  ),
  llmSpecDecodeAccepted: spec(
    'baseten_llm_spec_decode_num_accepted_tokens_total',
    'counter',
    'Draft tokens accepted by speculative decoding.',
    POD,
    'spec-decode',
  ),
  llmSpecDecodeDraft: spec(
    'baseten_llm_spec_decode_num_draft_tokens_total',
    'counter',
    'Draft tokens proposed by speculative decoding.',
    POD,
    'spec-decode',
  ),
  llmInFlightTokens: spec('baseten_llm_in_flight_tokens', 'gauge', 'Tokens of the requests in flight.', POD, 'llm'),
  llmAvgInFlightTokens: spec(
    'baseten_llm_avg_in_flight_tokens',
    'gauge',
    'Average tokens in flight over the last sampling period.',
    POD,
    'llm',
  ),
  llmNumRequests: spec(
    'baseten_llm_num_requests',
    'gauge',
    'Number of requests in flight in the LLM engine.',
    POD,
    'llm',
  ),
} as const satisfies Record<string, FamilySpec>;

/** Every family in the order the simulator writes them (BASETEN.md's table order). */
export const FAMILY_LIST: readonly FamilySpec[] = Object.values(FAMILIES);

/**
 * The serving engines' families the kit charts and judges (ENGINES.md), one declaration for the engines
 * dashboard, the engine alerts and the engine SLO indicators: for each quantity, its vLLM and its SGLang names.
 * Where vLLM renamed a family, both names are listed, the current one first: a dashboard or rule that must span
 * engine versions reads either (`new or old`: a replica that exports both is read once, by its new name).
 *
 * The bridge attaches each engine series' Baseten identity (model_id, model_name, environment) from its
 * deployment's platform series; the engine's own model_name is exported_model_name.
 */

export const ENGINES = ['vllm', 'sglang'] as const;
export type Engine = (typeof ENGINES)[number];

/** How the docs and legends name each engine. */
export const ENGINE_TITLES: Record<Engine, string> = { vllm: 'vLLM', sglang: 'SGLang' };

export type EngineFamily = Readonly<Record<Engine, readonly string[]>>;

/** Quantities both engines export. A name list may be empty: that engine has no such family. */
export const ENGINE_FAMILIES = {
  /** KV-cache blocks in use, 0–1 (vLLM's name before 0.9/0.11 was gpu_cache_usage_perc). */
  kvCacheUsage: { vllm: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'], sglang: ['sglang:token_usage'] },
  running: { vllm: ['vllm:num_requests_running'], sglang: ['sglang:num_running_reqs'] },
  waiting: { vllm: ['vllm:num_requests_waiting'], sglang: ['sglang:num_queue_reqs'] },
  /** SGLang's preemption is a retraction (newer builds). */
  preemptions: { vllm: ['vllm:num_preemptions_total'], sglang: ['sglang:num_retracted_requests_total'] },
  promptTokens: { vllm: ['vllm:prompt_tokens_total'], sglang: ['sglang:prompt_tokens_total'] },
  generationTokens: { vllm: ['vllm:generation_tokens_total'], sglang: ['sglang:generation_tokens_total'] },
  timeToFirstToken: { vllm: ['vllm:time_to_first_token_seconds'], sglang: ['sglang:time_to_first_token_seconds'] },
  /** vLLM's name before 0.11 was time_per_output_token_seconds, with the same buckets. */
  interTokenLatency: {
    vllm: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
    sglang: ['sglang:inter_token_latency_seconds'],
  },
  endToEnd: { vllm: ['vllm:e2e_request_latency_seconds'], sglang: ['sglang:e2e_request_latency_seconds'] },
  queueTime: { vllm: ['vllm:request_queue_time_seconds'], sglang: ['sglang:queue_time_seconds'] },
  /**
   * Every finished request: vLLM's "success" counts all of them, by finished_reason (stop, length, abort, error,
   * repetition).
   */
  finishedRequests: { vllm: ['vllm:request_success_total'], sglang: ['sglang:num_requests_total'] },
  /** SGLang's aborts; vLLM's are its finished requests with finished_reason="abort". */
  abortedRequests: { vllm: [], sglang: ['sglang:num_aborted_requests_total'] },
  /** Prefix-cache lookups and hits in tokens (vLLM); SGLang exports a hit rate it computes itself. */
  prefixCacheQueries: { vllm: ['vllm:prefix_cache_queries_total'], sglang: [] },
  prefixCacheHits: { vllm: ['vllm:prefix_cache_hits_total'], sglang: [] },
  prefixCacheHitRate: { vllm: [], sglang: ['sglang:cache_hit_rate'] },
  /** Only with speculative decoding on. */
  specDecodeDraftTokens: { vllm: ['vllm:spec_decode_num_draft_tokens_total'], sglang: [] },
  specDecodeAcceptedTokens: { vllm: ['vllm:spec_decode_num_accepted_tokens_total'], sglang: [] },
} as const satisfies Record<string, EngineFamily>;

/**
 * The engines' own bucket boundaries (vllm/v1/metrics/loggers.py; SGLang's metrics collector), without +Inf.
 * Unlike Baseten's, they are documented: the SLO generator checks a threshold against them unless `--probe`
 * read others (SGLang's can be changed with server flags).
 */
export const ENGINE_BUCKETS: Readonly<
  Record<'timeToFirstToken' | 'interTokenLatency', Readonly<Record<Engine, readonly number[]>>>
> = {
  timeToFirstToken: {
    vllm: [
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
    ],
    sglang: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400],
  },
  interTokenLatency: {
    vllm: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80],
    sglang: [
      0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1,
      2, 4, 6, 8,
    ],
  },
};

/**
 * `select(name)` for every name of the family (of the engines given), joined by `or`: e.g.
 * `rate(vllm:x{…}[5m]) or rate(sglang:x{…}[5m])`. A deployment runs one engine, so the parts never hold the same
 * series; where one replica exports an old and a new name, `or` keeps the new one.
 */
export function eitherEngine(
  family: EngineFamily,
  select: (name: string) => string,
  engines: readonly Engine[] = ENGINES,
): string {
  return familyNames(family, engines).map(select).join(' or ');
}

/** The family's names of the engines given, current names before old ones. */
export function familyNames(family: EngineFamily, engines: readonly Engine[] = ENGINES): string[] {
  return engines.flatMap((engine) => family[engine]);
}

/**
 * `expr` with each engine counted once: SGLang can report from every tensor- and pipeline-parallel rank (rank 0
 * alone by default), with the same values, so sums run over data-parallel ranks (vLLM's `engine`, SGLang's
 * `dp_rank`) and never over `tp_rank` or `pp_rank` (ENGINES.md). A no-op where those labels are absent.
 */
export function ranksOnce(expr: string): string {
  return `max without (tp_rank, pp_rank) (${expr})`;
}

/** `sum by (labels)` of an engine expression, each engine counted once (ranksOnce). */
export function sumEngines(labels: string, expr: string): string {
  return `sum by (${labels}) (${ranksOnce(expr)})`;
}

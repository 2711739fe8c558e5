/**
 * vLLM's families (V1 names), one series set per replica: gauges of the running batch, counters of tokens,
 * preemptions and finished requests, the request-phase histograms in two states (engine-traffic.ts), the
 * tokens-per-request histograms and the cache configuration. Token counters are the `_sum` of the matching
 * per-request histograms, and `vllm:request_success_total` adds up to every request histogram's `_count`.
 */
import { observe } from './distributions.js';
import { VLLM, VLLM_FINISHED_REASONS, type EngineFamily } from './engine-families.js';
import {
  writeReplicaCounter,
  writeReplicaGauge,
  writeTwoStateHistogram,
  type EngineReplica,
} from './engine-replica.js';
import type { VllmTraffic } from './engine-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { writeCounter, writeGauge, writeHistogram } from './python-client-writer.js';

type Replica = EngineReplica<VllmTraffic>;

/** Tokens each speculative step drafts (`num_speculative_tokens`). */
const SPECULATIVE_TOKENS = 3;

/**
 * Speculative steps: each drafts SPECULATIVE_TOKENS tokens, of which the LLM families' acceptance share is kept,
 * and yields those plus one token of the target model's own; so accepted tokens stay below generated ones.
 */
function drafts(r: Replica): number {
  return Math.floor(r.state.generationTokens / (1 + r.llm.acceptance * SPECULATIVE_TOKENS));
}

function tokensHistogram(
  writer: ExpositionWriter,
  family: EngineFamily,
  replicas: readonly Replica[],
  shapeOf: (t: VllmTraffic) => VllmTraffic['promptTokens'],
): void {
  const series = replicas.map((r) => {
    const count = r.state.calm + r.state.saturated;
    return {
      labels: r.labels.series,
      set: shapeOf(r.traffic).set,
      ...observe(shapeOf(r.traffic), count, true),
      count,
      created: r.created,
    };
  });
  writeHistogram(writer, family, series);
}

export function renderVllmFamilies(writer: ExpositionWriter, replicas: readonly Replica[]): void {
  const counter = (family: EngineFamily, value: (r: Replica) => number, among = replicas): void =>
    writeReplicaCounter(writer, family, among, value);
  const gauge = (family: EngineFamily, value: (r: Replica) => number): void =>
    writeReplicaGauge(writer, family, replicas, value);
  const histogram = (family: EngineFamily, key: keyof VllmTraffic['histograms'], perToken = false): void =>
    writeTwoStateHistogram(writer, family, replicas, (t) => t.histograms[key], perToken);

  const speculative = replicas.filter((r) => r.specDecode);
  counter(VLLM.specDecodeDrafts, drafts, speculative);
  counter(VLLM.specDecodeDraftTokens, (r) => drafts(r) * SPECULATIVE_TOKENS, speculative);
  counter(
    VLLM.specDecodeAcceptedTokens,
    (r) => Math.floor(drafts(r) * SPECULATIVE_TOKENS * r.llm.acceptance),
    speculative,
  );
  gauge(VLLM.running, (r) => r.state.running);
  gauge(VLLM.waiting, (r) => r.state.waiting);
  gauge(VLLM.kvCacheUsage, (r) => r.state.kvUsage);
  counter(VLLM.prefixCacheQueries, (r) => r.state.promptTokens);
  counter(VLLM.prefixCacheHits, (r) => r.state.prefixHits);
  counter(VLLM.preemptions, (r) => r.state.preemptions);
  counter(VLLM.promptTokens, (r) => r.state.promptTokens);
  counter(VLLM.generationTokens, (r) => r.state.generationTokens);
  const finished = replicas.flatMap((r) =>
    VLLM_FINISHED_REASONS.map((reason) => ({
      labels: r.labels.series.with('finished_reason', reason),
      value: r.state.finished[reason],
      created: r.created,
    })),
  );
  writeCounter(writer, VLLM.requestSuccess, finished);
  tokensHistogram(writer, VLLM.requestPromptTokens, replicas, (t) => t.promptTokens);
  tokensHistogram(writer, VLLM.requestGenerationTokens, replicas, (t) => t.generationTokens);
  histogram(VLLM.timeToFirstToken, 'timeToFirstToken');
  histogram(VLLM.interTokenLatency, 'interTokenLatency', true);
  histogram(VLLM.timePerOutputToken, 'timePerOutputToken');
  histogram(VLLM.e2eLatency, 'e2eLatency');
  histogram(VLLM.queueTime, 'queueTime');
  histogram(VLLM.inferenceTime, 'inferenceTime');
  histogram(VLLM.prefillTime, 'prefillTime');
  histogram(VLLM.decodeTime, 'decodeTime');
  writeGauge(
    writer,
    VLLM.cacheConfigInfo,
    replicas.flatMap((r) => (r.labels.cacheConfig === undefined ? [] : [{ labels: r.labels.cacheConfig, value: 1 }])),
  );
}

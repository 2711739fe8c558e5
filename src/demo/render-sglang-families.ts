/**
 * SGLang's families (with `--enable-metrics`), one series set per replica: the scheduler's gauges, the
 * tokenizer's counters (counted as requests finish) and its latency histograms in two states (engine-traffic.ts).
 * The hit rate and generation throughput gauges are the engine's own windowed figures: the counters' growth
 * since the last refresh.
 */
import { SGLANG, type EngineFamily } from './engine-families.js';
import {
  writeReplicaCounter,
  writeReplicaGauge,
  writeTwoStateHistogram,
  type EngineReplica,
} from './engine-replica.js';
import type { SglangTraffic } from './engine-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { REFRESH_MS } from './signals.js';

type Replica = EngineReplica<SglangTraffic>;

export function renderSglangFamilies(writer: ExpositionWriter, replicas: readonly Replica[]): void {
  const counter = (family: EngineFamily, value: (r: Replica) => number): void =>
    writeReplicaCounter(writer, family, replicas, value);
  const gauge = (family: EngineFamily, value: (r: Replica) => number): void =>
    writeReplicaGauge(writer, family, replicas, value);
  const histogram = (family: EngineFamily, key: keyof SglangTraffic['histograms'], perToken = false): void =>
    writeTwoStateHistogram(writer, family, replicas, (t) => t.histograms[key], perToken);

  gauge(SGLANG.running, (r) => r.state.running);
  gauge(SGLANG.queued, (r) => r.state.waiting);
  gauge(SGLANG.tokenUsage, (r) => r.state.kvUsage);
  gauge(SGLANG.cacheHitRate, ({ state: { recent } }) =>
    recent.promptTokens > 0 ? recent.prefixHits / recent.promptTokens : 0,
  );
  gauge(SGLANG.genThroughput, (r) => r.state.recent.generationTokens / (REFRESH_MS / 1000));
  counter(SGLANG.promptTokens, (r) => r.state.promptTokens);
  counter(SGLANG.generationTokens, (r) => r.state.generationTokens);
  counter(SGLANG.cachedTokens, (r) => r.state.prefixHits);
  counter(SGLANG.requests, (r) => r.state.calm + r.state.saturated);
  counter(SGLANG.abortedRequests, (r) => r.state.finished.abort);
  counter(SGLANG.retractedRequests, (r) => r.state.preemptions);
  histogram(SGLANG.timeToFirstToken, 'timeToFirstToken');
  histogram(SGLANG.interTokenLatency, 'interTokenLatency', true);
  histogram(SGLANG.e2eLatency, 'e2eLatency');
  histogram(SGLANG.queueTime, 'queueTime');
}

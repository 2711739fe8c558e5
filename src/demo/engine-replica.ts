/**
 * The engines' series, replica by replica: what each renderer of an engine's families reads at one refresh, and
 * the writers of a family whose series are one per replica.
 */
import type { LlmTraffic } from './deployment-traffic.js';
import type { EngineFamily } from './engine-families.js';
import type { ReplicaEngineLabels } from './engine-labels.js';
import { engineSnapshot, type EngineSnapshot } from './engine-state.js';
import { observeTwoStates, type EngineTraffic, type TwoStateShape } from './engine-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import type { Fleet } from './fleet.js';
import { writeCounter, writeGauge, writeHistogram } from './python-client-writer.js';

/** One replica's engine at the refresh being rendered. */
export interface EngineReplica<T extends EngineTraffic = EngineTraffic> {
  traffic: T;
  llm: LlmTraffic;
  labels: ReplicaEngineLabels;
  /** The `_created` value of its counters and histograms: the replica's start, in seconds since the epoch. */
  created: number;
  /** Speculative decoding configured: vLLM registers its counters. */
  specDecode: boolean;
  state: EngineSnapshot;
}

/** Every replica of every LLM deployment, in fleet order, with its engine's state at `atMs`. */
export function engineReplicas(fleet: Fleet, atMs: number): EngineReplica[] {
  return fleet.deployments.flatMap(({ llm, engine: traffic, profile, replicas }) => {
    if (!llm || !traffic) return [];
    return replicas.flatMap((replica) => {
      if (!replica.engine) return [];
      const state = engineSnapshot(llm, traffic, replica, atMs);
      return [
        {
          traffic,
          llm,
          labels: replica.engine,
          created: replica.startedAtMs / 1000,
          specDecode: profile.specDecode,
          state,
        },
      ];
    });
  });
}

export function writeReplicaCounter<R extends EngineReplica>(
  writer: ExpositionWriter,
  family: EngineFamily,
  replicas: readonly R[],
  value: (r: R) => number,
): void {
  writeCounter(
    writer,
    family,
    replicas.map((r) => ({ labels: r.labels.series.text, value: value(r), created: r.created })),
  );
}

export function writeReplicaGauge<R extends EngineReplica>(
  writer: ExpositionWriter,
  family: EngineFamily,
  replicas: readonly R[],
  value: (r: R) => number,
): void {
  writeGauge(
    writer,
    family,
    replicas.map((r) => ({ labels: r.labels.series.text, value: value(r) })),
  );
}

/**
 * A histogram of requests in both states, per replica; `perToken` counts one observation per inter-token gap
 * (the engines observe inter-token latency per output token, not per request).
 */
export function writeTwoStateHistogram<R extends EngineReplica>(
  writer: ExpositionWriter,
  family: EngineFamily,
  replicas: readonly R[],
  shapeOf: (traffic: R['traffic']) => TwoStateShape,
  perToken = false,
): void {
  const series = replicas.map((r) => {
    const shape = shapeOf(r.traffic);
    const { calm, saturated } = perToken ? { calm: r.state.calmGaps, saturated: r.state.saturatedGaps } : r.state;
    return { labels: r.labels.series, set: shape.set, ...observeTwoStates(shape, calm, saturated), created: r.created };
  });
  writeHistogram(writer, family, series);
}

/**
 * The LLM (BIS-LLM) families, one series set per pod, labelled with the pod hash. Token counters are the
 * `_sum` of the matching per-request histograms, so the two always agree. The speculative-decoding
 * counters exist only on models with the feature, and only in even minutes: the simulator's stand-in
 * for "optional families that come and go".
 */
import { BUCKETS, type BucketSet } from './buckets.js';
import { observe, type Shape } from './distributions.js';
import type { LlmTraffic } from './deployment-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import { FAMILIES, type FamilySpec } from './families.js';
import type { Fleet, SimulatedDeployment, SimulatedReplica } from './fleet.js';
import { hash32 } from './prng.js';
import { inFlightRequests, servedRequests } from './replica-load.js';
import { level, roundTo } from './signals.js';

/** True when the speculative-decoding families are exposed at `atMs` (even minutes since the epoch). */
export function specDecodeVisible(atMs: number): boolean {
  return Math.floor(atMs / 60_000) % 2 === 0;
}

interface Pod {
  deployment: SimulatedDeployment;
  replica: SimulatedReplica;
  llm: LlmTraffic;
}

function podsOf(fleet: Fleet): Pod[] {
  return fleet.deployments.flatMap((deployment) =>
    deployment.llm
      ? deployment.replicas.map((replica) => ({ deployment, replica, llm: deployment.llm as LlmTraffic }))
      : [],
  );
}

function podRequests(pod: Pod, atMs: number): number {
  return Math.floor(servedRequests(pod.llm, pod.replica, atMs));
}

function tokenSum(pod: Pod, atMs: number, shape: Shape): number {
  return observe(shape, podRequests(pod, atMs), true).sum;
}

function podHistogram(
  writer: ExpositionWriter,
  pods: Pod[],
  atMs: number,
  spec: FamilySpec,
  set: BucketSet,
  shapeOf: (llm: LlmTraffic) => Shape,
  integerUnits: boolean,
): void {
  writer.family(spec);
  for (const pod of pods) {
    const count = podRequests(pod, atMs);
    const { buckets, sum } = observe(shapeOf(pod.llm), count, integerUnits);
    writer.histogram(pod.replica.podLabels, set, buckets, sum, count);
  }
}

/** Tokens held by one in-flight request: its prompt plus, on average, half its output so far. */
function tokensPerInFlightRequest(llm: LlmTraffic): number {
  return llm.inputTokens.mean + llm.outputTokens.mean / 2;
}

export function renderLlmFamilies(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  const pods = podsOf(fleet);

  writer.family(FAMILIES.llmInputTokens);
  for (const pod of pods) writer.sample(pod.replica.podLabels, tokenSum(pod, atMs, pod.llm.inputTokens));
  writer.family(FAMILIES.llmOutputTokens);
  for (const pod of pods) writer.sample(pod.replica.podLabels, tokenSum(pod, atMs, pod.llm.outputTokens));

  podHistogram(writer, pods, atMs, FAMILIES.llmInputTokensPerRequest, BUCKETS.tokens, (llm) => llm.inputTokens, true);
  podHistogram(writer, pods, atMs, FAMILIES.llmOutputTokensPerRequest, BUCKETS.tokens, (llm) => llm.outputTokens, true);
  podHistogram(
    writer,
    pods,
    atMs,
    FAMILIES.llmTokensPerSecond,
    BUCKETS.tokensPerSecond,
    (llm) => llm.tokensPerSecond,
    false,
  );
  podHistogram(writer, pods, atMs, FAMILIES.llmKvCacheHitRate, BUCKETS.ratio, (llm) => llm.kvCacheHitRate, false);

  const speculative = specDecodeVisible(atMs) ? pods.filter((pod) => pod.deployment.profile.specDecode) : [];
  const draftTokens = (pod: Pod): number =>
    Math.floor(tokenSum(pod, atMs, pod.llm.outputTokens) * pod.llm.draftPerOutputToken);
  writer.family(FAMILIES.llmSpecDecodeAccepted);
  for (const pod of speculative)
    writer.sample(pod.replica.podLabels, Math.floor(draftTokens(pod) * pod.llm.acceptance));
  writer.family(FAMILIES.llmSpecDecodeDraft);
  for (const pod of speculative) writer.sample(pod.replica.podLabels, draftTokens(pod));

  writer.family(FAMILIES.llmInFlightTokens);
  for (const pod of pods)
    writer.sample(
      pod.replica.podLabels,
      Math.round(inFlightRequests(pod.llm, pod.replica, atMs) * tokensPerInFlightRequest(pod.llm)),
    );
  writer.family(FAMILIES.llmAvgInFlightTokens);
  for (const pod of pods) {
    const averageRequests = pod.llm.maxBatch * (0.3 + 0.4 * level(hash32(pod.replica.seed, 22), atMs));
    writer.sample(pod.replica.podLabels, roundTo(averageRequests * tokensPerInFlightRequest(pod.llm), 1));
  }
  writer.family(FAMILIES.llmNumRequests);
  for (const pod of pods) writer.sample(pod.replica.podLabels, inFlightRequests(pod.llm, pod.replica, atMs));
}

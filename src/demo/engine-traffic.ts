/**
 * The serving engine of one LLM deployment, drawn once when the fleet is built (from a stream of its own, so the
 * deployment's other draws keep their values): how much its KV cache holds, and the shape of every engine
 * histogram in two states. A request either found the cache with room ("calm": no wait) or full ("saturated":
 * it waited in the queue, so its time to first token and end-to-end latency carry the wait, and decoding in a
 * full batch is slower). Latencies follow the platform's own families, so the two agree: the engine's time to
 * first token is most of Baseten's time to first byte, its end-to-end most of Baseten's, its inter-token
 * latency the inverse of the LLM families' tokens per second.
 */
import { logNormal, observe, type Shape } from './distributions.js';
import type { BucketSet } from './buckets.js';
import type { LlmTraffic } from './deployment-traffic.js';
import { oneTwoFiveBuckets, SGLANG_BUCKETS, VLLM_BUCKETS } from './engine-families.js';
import type { ModelProfile, ServingEngine } from './model-catalog.js';
import { between, hash32, mulberry32 } from './prng.js';

/** One histogram of the engine: its buckets, and the shape of its observations in each state. */
export interface TwoStateShape {
  set: BucketSet;
  calm: Shape;
  saturated: Shape;
}

/** A histogram of `calm` and `saturated` observations, each part floored on its own so that each only grows. */
export function observeTwoStates(
  shape: TwoStateShape,
  calm: number,
  saturated: number,
): { buckets: number[]; sum: number; count: number } {
  const a = observe(shape.calm, calm, false);
  const b = observe(shape.saturated, saturated, false);
  return {
    buckets: a.buckets.map((value, i) => value + (b.buckets[i] ?? 0)),
    sum: a.sum + b.sum,
    count: calm + saturated,
  };
}

export type VllmHistogram =
  | 'timeToFirstToken'
  | 'interTokenLatency'
  | 'timePerOutputToken'
  | 'e2eLatency'
  | 'queueTime'
  | 'inferenceTime'
  | 'prefillTime'
  | 'decodeTime';
export type SglangHistogram = 'timeToFirstToken' | 'interTokenLatency' | 'e2eLatency' | 'queueTime';

interface CommonEngineTraffic {
  engine: ServingEngine;
  /** Requests whose KV cache fits at once: a replica's batch at its most, times the model's kvHeadroom. */
  capacityRequests: number;
  /** KV-cache blocks (vLLM, 16 tokens) or token slots (SGLang) one request in flight holds, and the cache's size. */
  blocksPerRequest: number;
  cacheBlocks: number;
  /** Preemptions (SGLang: retractions) per request that met a full cache. */
  preemptionsPerSaturatedRequest: number;
  /** How requests finish besides `stop`, as shares of all. */
  finished: { length: number; abort: number; error: number };
  /** The prefix-cache hit share of prompt tokens: the mean of the LLM families' KV-cache hit rate. */
  prefixHitRate: number;
  /** Gaps between output tokens per request: inter-token latency is observed once per token after the first. */
  tokenGapsPerRequest: number;
  /** Tokens per request, on vLLM's 1-2-5 buckets: the log-normals of the LLM families, so the sums agree. */
  promptTokens: Shape & { set: BucketSet };
  generationTokens: Shape & { set: BucketSet };
}

export interface VllmTraffic extends CommonEngineTraffic {
  kind: 'vllm';
  histograms: Record<VllmHistogram, TwoStateShape>;
}

export interface SglangTraffic extends CommonEngineTraffic {
  kind: 'sglang';
  histograms: Record<SglangHistogram, TwoStateShape>;
}

export type EngineTraffic = VllmTraffic | SglangTraffic;

/** Salt of the engine's own random stream. */
const ENGINE_SALT = 0x656e67;

/** Seconds a request is queued when the cache has room: scheduling only. */
const CALM_QUEUE_SECONDS = 0.015;

/** Medians of a request's phases, calm and saturated, in seconds. */
function phases(profile: ModelProfile, llm: LlmTraffic, saturatedQueue: number) {
  const prefill = 0.75 * profile.ttfbSeconds;
  const decode = Math.max(0.05, 0.9 * profile.e2eSeconds - 0.8 * profile.ttfbSeconds);
  const interToken = 1 / llm.drawn.tokensPerSecond.median;
  // A full batch prefills in smaller chunks and decodes more sequences per step.
  const calm = { queue: CALM_QUEUE_SECONDS, prefill, decode, interToken };
  const saturated = {
    queue: saturatedQueue,
    prefill: 1.2 * prefill,
    decode: 1.25 * decode,
    interToken: 1.25 * interToken,
  };
  return { calm, saturated };
}

type Phases = ReturnType<typeof phases>['calm'];

function twoStates(
  set: BucketSet,
  sigma: number,
  median: (p: Phases) => number,
  all: ReturnType<typeof phases>,
): TwoStateShape {
  return {
    set,
    calm: logNormal(set.bounds, median(all.calm), sigma),
    saturated: logNormal(set.bounds, median(all.saturated), sigma),
  };
}

function vllmHistograms(all: ReturnType<typeof phases>): Record<VllmHistogram, TwoStateShape> {
  const { timeToFirstToken, interToken, request } = VLLM_BUCKETS;
  return {
    timeToFirstToken: twoStates(timeToFirstToken, 0.5, (p) => p.queue + p.prefill, all),
    interTokenLatency: twoStates(interToken, 0.35, (p) => p.interToken, all),
    timePerOutputToken: twoStates(interToken, 0.2, (p) => p.interToken, all),
    e2eLatency: twoStates(request, 0.5, (p) => p.queue + p.prefill + p.decode, all),
    queueTime: twoStates(request, 0.8, (p) => p.queue, all),
    inferenceTime: twoStates(request, 0.5, (p) => p.prefill + p.decode, all),
    prefillTime: twoStates(request, 0.5, (p) => p.prefill, all),
    decodeTime: twoStates(request, 0.5, (p) => p.decode, all),
  };
}

function sglangHistograms(all: ReturnType<typeof phases>): Record<SglangHistogram, TwoStateShape> {
  const { timeToFirstToken, interToken, e2e, queue } = SGLANG_BUCKETS;
  return {
    timeToFirstToken: twoStates(timeToFirstToken, 0.5, (p) => p.queue + p.prefill, all),
    interTokenLatency: twoStates(interToken, 0.35, (p) => p.interToken, all),
    e2eLatency: twoStates(e2e, 0.5, (p) => p.queue + p.prefill + p.decode, all),
    queueTime: twoStates(queue, 0.8, (p) => p.queue, all),
  };
}

/** The engine of an LLM deployment of `profile`, from the deployment's seed. */
export function buildEngineTraffic(
  seed: number,
  profile: ModelProfile,
  engine: ServingEngine,
  llm: LlmTraffic,
): EngineTraffic {
  const random = mulberry32(hash32(seed, ENGINE_SALT));
  // A request that meets a full cache waits for running ones to finish: seconds, not milliseconds.
  const all = phases(profile, llm, between(random, 0.5, 2.5));
  const tokensInFlight = llm.inputTokens.mean + llm.outputTokens.mean / 2;
  const blocksPerRequest = Math.ceil(tokensInFlight / (engine.kind === 'vllm' ? 16 : 1));
  const capacityRequests = llm.maxBatch * engine.kvHeadroom;
  const tokenSet = oneTwoFiveBuckets(engine.maxModelLen);
  const { inputTokens, outputTokens } = llm.drawn;
  const common: CommonEngineTraffic = {
    engine,
    capacityRequests,
    blocksPerRequest,
    cacheBlocks: Math.round(capacityRequests * blocksPerRequest),
    preemptionsPerSaturatedRequest: between(random, 0.2, 0.5),
    finished: {
      length: between(random, 0.04, 0.12),
      abort: between(random, 0.002, 0.008),
      error: between(random, 0.0001, 0.0008),
    },
    prefixHitRate: llm.kvCacheHitRate.mean,
    tokenGapsPerRequest: Math.max(0, llm.outputTokens.mean - 1),
    promptTokens: { ...logNormal(tokenSet.bounds, inputTokens.median, inputTokens.sigma), set: tokenSet },
    generationTokens: { ...logNormal(tokenSet.bounds, outputTokens.median, outputTokens.sigma), set: tokenSet },
  };
  return engine.kind === 'vllm'
    ? { ...common, kind: 'vllm', histograms: vllmHistograms(all) }
    : { ...common, kind: 'sglang', histograms: sglangHistograms(all) };
}

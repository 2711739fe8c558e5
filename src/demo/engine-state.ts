/**
 * One replica's serving engine at a refresh, from the clock alone. Its requests are the ones the LLM families
 * count (replica-load.ts), and its in-flight requests theirs too: those that fit the KV cache run, the rest wait,
 * and the cache's usage follows the running ones. Requests that arrived while the cache was likely full (the
 * closed-form secondsAbove of the same load level) are "saturated": they waited in the queue and some were
 * preempted. Every count is the floor of a real that never decreases, or a part of one split so that each part
 * never decreases either, so no counter, bucket or sum goes down while the replica lives.
 */
import type { EngineTraffic } from './engine-traffic.js';
import type { LlmTraffic } from './deployment-traffic.js';
import type { SimulatedReplica } from './fleet.js';
import { hash32, unitNoise } from './prng.js';
import { inFlightRequests, loadSeed, servedRequests } from './replica-load.js';
import { REFRESH_MS, secondsAbove } from './signals.js';

export interface FinishedRequests {
  stop: number;
  length: number;
  abort: number;
  error: number;
  /** vLLM's `repetition` (repetition detection): not configured on these engines, always 0. */
  repetition: number;
}

export interface EngineSnapshot {
  running: number;
  waiting: number;
  /** KV-cache blocks in use over the cache's blocks, in [0, 1]. */
  kvUsage: number;
  /** Finished requests that met a cache with room, and a full one. */
  calm: number;
  saturated: number;
  /** Inter-token gaps observed for each (one per output token after the first). */
  calmGaps: number;
  saturatedGaps: number;
  promptTokens: number;
  generationTokens: number;
  prefixHits: number;
  preemptions: number;
  finished: FinishedRequests;
  /** Generation tokens, prompt tokens and prefix hits since the last refresh (SGLang's windowed gauges). */
  recent: { generationTokens: number; promptTokens: number; prefixHits: number };
}

/** Salt of the cache-usage jitter: blocks per request vary a little with the requests' lengths. */
const KV_SALT = 23;

/** Splits a count in two parts that each only grow as it grows: floor(n × share) and the rest. */
function split(n: number, share: number): [number, number] {
  const part = Math.floor(n * share);
  return [part, n - part];
}

function finishedRequests(requests: number, { length, abort, error }: EngineTraffic['finished']): FinishedRequests {
  const [other, stop] = split(requests, length + abort + error);
  const [failed, lengthCapped] = split(other, (abort + error) / (length + abort + error));
  const [errored, aborted] = split(failed, error / (abort + error));
  return { stop, length: lengthCapped, abort: aborted, error: errored, repetition: 0 };
}

/** Finished requests by `atMs`, calm and saturated; the saturated ones never outgrow the whole. */
function requestsBy(
  llm: LlmTraffic,
  engine: EngineTraffic,
  replica: SimulatedReplica,
  atMs: number,
): { calm: number; saturated: number } {
  const all = servedRequests(llm, replica, atMs);
  // The whole grows at no less than half its mean rate, the saturated part at no more than 0.375 of it (the most
  // secondsAbove gives a second at a kvHeadroom of 0.85): the calm part never decreases either.
  const saturated =
    llm.podRatePerSecond * secondsAbove(loadSeed(replica), engine.engine.kvHeadroom, replica.startedAtMs, atMs);
  return { calm: Math.floor(all - saturated), saturated: Math.floor(saturated) };
}

function tokensOf(engine: EngineTraffic, requests: number): { prompt: number; generation: number; hits: number } {
  const prompt = Math.floor(requests * engine.promptTokens.mean);
  return {
    prompt,
    generation: Math.floor(requests * engine.generationTokens.mean),
    hits: Math.floor(prompt * engine.prefixHitRate),
  };
}

export function engineSnapshot(
  llm: LlmTraffic,
  engine: EngineTraffic,
  replica: SimulatedReplica,
  atMs: number,
): EngineSnapshot {
  const inFlight = inFlightRequests(llm, replica, atMs);
  const running = Math.min(inFlight, Math.floor(engine.capacityRequests));
  const jitter = 0.97 + 0.03 * unitNoise(hash32(replica.seed, KV_SALT), Math.floor(atMs / REFRESH_MS));
  const usedBlocks = Math.min(engine.cacheBlocks, Math.round(running * engine.blocksPerRequest * jitter));
  const { calm, saturated } = requestsBy(llm, engine, replica, atMs);
  const requests = calm + saturated;
  const tokens = tokensOf(engine, requests);
  const before = requestsBy(llm, engine, replica, atMs - REFRESH_MS);
  const tokensBefore = tokensOf(engine, before.calm + before.saturated);
  return {
    running,
    waiting: inFlight - running,
    kvUsage: usedBlocks / engine.cacheBlocks,
    calm,
    saturated,
    calmGaps: Math.floor(calm * engine.tokenGapsPerRequest),
    saturatedGaps: Math.floor(saturated * engine.tokenGapsPerRequest),
    promptTokens: tokens.prompt,
    generationTokens: tokens.generation,
    prefixHits: tokens.hits,
    preemptions: Math.floor(saturated * engine.preemptionsPerSaturatedRequest),
    finished: finishedRequests(requests, engine.finished),
    recent: {
      generationTokens: tokens.generation - tokensBefore.generation,
      promptTokens: tokens.prompt - tokensBefore.prompt,
      prefixHits: tokens.hits - tokensBefore.hits,
    },
  };
}

/**
 * What reaches one replica of an LLM deployment: the requests it served since it started, and the requests in
 * flight at a refresh. The LLM families and the serving engine's families read the same numbers, so they agree.
 */
import type { LlmTraffic } from './deployment-traffic.js';
import type { SimulatedReplica } from './fleet.js';
import { hash32 } from './prng.js';
import { cumulative, elapsedSeconds, level, phaseOf } from './signals.js';

/** The seed of a replica's load level: in-flight requests follow it, and the engine's cache fills with it. */
export function loadSeed(replica: SimulatedReplica): number {
  return hash32(replica.seed, 21);
}

/** Requests the replica served from its start to `atMs`, as a real number (its floor is the counter). */
export function servedRequests(llm: LlmTraffic, replica: SimulatedReplica, atMs: number): number {
  return cumulative(llm.podRatePerSecond, elapsedSeconds(replica.startedAtMs, atMs), phaseOf(replica.seed));
}

/** Requests in the replica's engine at refresh `atMs`: running and waiting. */
export function inFlightRequests(llm: LlmTraffic, replica: SimulatedReplica, atMs: number): number {
  return Math.round(llm.maxBatch * level(loadSeed(replica), atMs));
}

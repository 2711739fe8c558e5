/**
 * Values as functions of the clock. Counters are closed-form integrals of a positive, slowly varying
 * rate, so they are monotonic between any two fetches and need no state; gauges are a smooth wave plus
 * per-refresh noise. Both are deterministic given a series seed.
 */
import { unitNoise } from './prng.js';

/** Baseten's data refreshes every 30 seconds: every fetch within one period sees the same values. */
export const REFRESH_MS = 30_000;

/** The rate of every counter swings ±50% over this period (a compressed "day"). */
const RATE_PERIOD_S = 3_600;
const RATE_SWING = 0.5;

/** Gauges drift over two hours, plus noise that changes at each refresh. */
const LEVEL_PERIOD_MS = 7_200_000;

/** The refresh instant that data visible at `atMs` was computed at. */
export function refreshInstant(atMs: number): number {
  return Math.floor(atMs / REFRESH_MS) * REFRESH_MS;
}

/** Seconds between a deployment's (simulated) start and `atMs`, never negative. */
export function elapsedSeconds(startedAtMs: number, atMs: number): number {
  return Math.max(0, (atMs - startedAtMs) / 1000);
}

/** A phase in [0, 2π) derived from a seed, so series do not swing in lockstep. */
export function phaseOf(seed: number): number {
  return ((seed % 10_007) / 10_007) * 2 * Math.PI;
}

/**
 * Events counted in `elapsedS` seconds at rate `r·(1 + A·sin(2πτ/P + φ))`. The integrand stays
 * above r·(1 − A) > 0, so the result strictly increases with time.
 */
export function cumulative(ratePerSecond: number, elapsedS: number, phase: number): number {
  const omega = (2 * Math.PI) / RATE_PERIOD_S;
  const wave = (RATE_SWING / omega) * (Math.cos(phase) - Math.cos(phase + omega * elapsedS));
  return ratePerSecond * (elapsedS + wave);
}

/** The integer counter for events at that rate: floor keeps it monotonic. */
export function eventCount(ratePerSecond: number, elapsedS: number, phase: number): number {
  return Math.floor(cumulative(ratePerSecond, elapsedS, phase));
}

/** A gauge level in [0, 1] for the series with this seed at refresh instant `atMs`. */
export function level(seed: number, atMs: number): number {
  const wave = 0.3 * Math.sin((2 * Math.PI * atMs) / LEVEL_PERIOD_MS + phaseOf(seed));
  const noise = 0.4 * (unitNoise(seed, Math.floor(atMs / REFRESH_MS)) - 0.5);
  return Math.min(1, Math.max(0, 0.5 + wave + noise));
}

/** Rounds to `digits` decimals; monotonic, so rounded counters stay monotonic. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

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

/** Gauges drift over two hours by ±WAVE, plus noise of width NOISE that changes at each refresh. */
const LEVEL_PERIOD_MS = 7_200_000;
const WAVE = 0.3;
const NOISE = 0.4;

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
  const wave = WAVE * Math.sin((2 * Math.PI * atMs) / LEVEL_PERIOD_MS + phaseOf(seed));
  const noise = NOISE * (unitNoise(seed, Math.floor(atMs / REFRESH_MS)) - 0.5);
  return Math.min(1, Math.max(0, 0.5 + wave + noise));
}

/** 0.5 + WAVE − NOISE / 2: below it, a wave at its crest is above it whatever the noise (the chance clamps at 1). */
const LOWEST_THRESHOLD = 0.6;

/**
 * Seconds between `fromMs` and `toMs` that level(seed, ·) is expected to spend above `threshold`: the integral of
 * the chance that a refresh's noise lifts the wave over it. Closed form, so a counter fed by it (requests that met
 * a saturated replica) grows while the gauge is likely high, stays flat while it cannot be, and never decreases.
 */
export function secondsAbove(seed: number, threshold: number, fromMs: number, toMs: number): number {
  if (threshold < LOWEST_THRESHOLD) {
    throw new Error(`demo: secondsAbove needs a threshold of at least ${LOWEST_THRESHOLD} (got ${String(threshold)})`);
  }
  if (toMs <= fromMs) return 0;
  return Math.max(0, secondsAboveSinceEpoch(seed, threshold, toMs) - secondsAboveSinceEpoch(seed, threshold, fromMs));
}

/**
 * ∫ max(0, WAVE·sin(u) − θ) du over [x1, x1 + y], y in [0, 2π], where x1 = asin(θ / WAVE) starts the positive
 * part.
 */
function positivePart(theta: number, x1: number, y: number): number {
  const end = Math.min(y, Math.PI - 2 * x1);
  return WAVE * (Math.cos(x1) - Math.cos(x1 + end)) - theta * end;
}

function secondsAboveSinceEpoch(seed: number, threshold: number, atMs: number): number {
  // level > threshold ⇔ the noise draw u > (threshold − 0.5 − wave) / NOISE + 0.5: a chance of
  // (wave − θ) / NOISE with θ as below, between 0 and 1 for every wave once threshold ≥ LOWEST_THRESHOLD.
  const theta = threshold - (0.5 + NOISE / 2);
  if (theta >= WAVE) return 0;
  const x1 = Math.asin(theta / WAVE);
  const perTurn = positivePart(theta, x1, 2 * Math.PI);
  const fromX1 = (x: number): number => {
    const turns = Math.floor((x - x1) / (2 * Math.PI));
    return turns * perTurn + positivePart(theta, x1, x - x1 - turns * 2 * Math.PI);
  };
  // Whole periods are counted apart, so a clock of 1.7e12 ms loses no precision in the angle.
  const periods = Math.floor(atMs / LEVEL_PERIOD_MS);
  const angle = ((atMs - periods * LEVEL_PERIOD_MS) / LEVEL_PERIOD_MS) * 2 * Math.PI;
  const phase = phaseOf(seed);
  const radians = periods * perTurn + fromX1(phase + angle) - fromX1(phase);
  return (radians / NOISE) * (LEVEL_PERIOD_MS / 1000 / (2 * Math.PI));
}

/** Rounds to `digits` decimals; monotonic, so rounded counters stay monotonic. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

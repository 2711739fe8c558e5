/**
 * Deterministic randomness for the simulator. Everything the simulated endpoint produces is a pure
 * function of (seed, deployment index, time), so two renders at the same instant are byte-identical
 * and tests can pin values without mocking anything.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit generator, good enough for plausible-looking data (not for secrets;
 * api-key.ts uses node:crypto for those).
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two integers into one well-spread 32-bit value (murmur3's finaliser over a combined word). */
export function hash32(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** hash32 mapped to [0, 1): stateless noise for "the value at tick n of series s". */
export function unitNoise(seriesSeed: number, tick: number): number {
  return hash32(seriesSeed, tick) / 4294967296;
}

/** A float uniformly drawn from [min, max). */
export function between(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** An integer uniformly drawn from [min, max] (both inclusive). */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A lowercase alphanumeric id of the given length, the shape of Baseten's model and deployment ids. */
export function lowerAlnumId(random: Random, length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += LOWER_ALNUM[Math.floor(random() * LOWER_ALNUM.length)];
  return id;
}

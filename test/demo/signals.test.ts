import { describe, expect, it } from 'vitest';
import { level, REFRESH_MS, secondsAbove } from '../../src/demo/signals.js';
import { T_EVEN_MINUTE } from './fixtures.js';

const DAY_MS = 86_400_000;

/** What secondsAbove stands for, counted refresh by refresh. */
function countedSecondsAbove(seed: number, threshold: number, fromMs: number, toMs: number): number {
  let seconds = 0;
  for (let at = fromMs; at < toMs; at += REFRESH_MS) if (level(seed, at) > threshold) seconds += REFRESH_MS / 1000;
  return seconds;
}

describe('secondsAbove', () => {
  it.each([
    [11, 0.85],
    [12, 0.9],
    [13, 0.95],
    [14, 0.65],
  ])('seed %i above %d: the closed form is what 20 days of refreshes count, within 5 %', (seed, threshold) => {
    const counted = countedSecondsAbove(seed, threshold, T_EVEN_MINUTE, T_EVEN_MINUTE + 20 * DAY_MS);
    const expected = secondsAbove(seed, threshold, T_EVEN_MINUTE, T_EVEN_MINUTE + 20 * DAY_MS);
    expect(counted).toBeGreaterThan(0);
    expect(Math.abs(expected - counted) / counted).toBeLessThan(0.05);
  });

  it('is additive over adjacent windows and never negative', () => {
    const a = T_EVEN_MINUTE;
    const b = a + 3_700_000;
    const c = b + 11_000_000;
    expect(secondsAbove(3, 0.85, a, b) + secondsAbove(3, 0.85, b, c)).toBeCloseTo(secondsAbove(3, 0.85, a, c), 6);
    for (let at = a; at < c; at += 60_000) expect(secondsAbove(3, 0.85, at, at + 60_000)).toBeGreaterThanOrEqual(0);
  });

  it('stays within the window and at zero where the level cannot reach the threshold', () => {
    expect(secondsAbove(5, 0.85, T_EVEN_MINUTE, T_EVEN_MINUTE + 60_000)).toBeLessThanOrEqual(60);
    expect(secondsAbove(5, 1, T_EVEN_MINUTE, T_EVEN_MINUTE + DAY_MS)).toBe(0);
    expect(secondsAbove(5, 0.85, T_EVEN_MINUTE, T_EVEN_MINUTE)).toBe(0);
    expect(secondsAbove(5, 0.85, T_EVEN_MINUTE, T_EVEN_MINUTE - 1)).toBe(0);
  });

  it('refuses a threshold where the chance would clamp at 1', () => {
    expect(() => secondsAbove(5, 0.5, 0, 1)).toThrow('demo: secondsAbove needs a threshold of at least 0.6 (got 0.5)');
  });
});

/** The SRE workbook's burn rates for a 30-day SLO, and the same budget shares over other windows. */
import { describe, expect, it } from 'vitest';
import { BURN_WINDOWS, burnRate } from '../../src/rules/index.js';

const DAY = 86_400_000;

describe('burnRate', () => {
  it.each([
    [30, [14.4, 6, 3, 1]],
    [28, [13.44, 5.6, 2.8, 0.9333]],
    [7, [3.36, 1.4, 0.7, 0.2333]],
  ])('%d-day SLO → %j', (days, rates) => {
    expect(BURN_WINDOWS.map((w) => burnRate(w, days * DAY))).toEqual(rates);
  });

  it('pairs each long window with a short one of 1/12 its length', () => {
    for (const w of BURN_WINDOWS) expect(w.shortMs * 12).toBe(w.longMs);
  });
});

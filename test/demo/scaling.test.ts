import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenExposition } from '../../src/demo/index.js';
import { CREATED_AT, T_EVEN_MINUTE } from './fixtures.js';

// With the engines' families (about 260 series per vLLM replica, 136 per SGLang one), a deployment averages about
// 420 series: the bench's named sizes (bench/payload.mjs) are 13 deployments ≈ 5k, 115 ≈ 50k, 590 ≈ 250k.
describe('scaling', () => {
  it.each([
    [6, 2_500, 3_500],
    [115, 45_000, 55_000],
    [590, 225_000, 275_000],
  ])('%i deployments render between %i and %i series', (deployments, min, max) => {
    const fleet = buildFleet({ deployments, seed: 1, createdAtMs: CREATED_AT });
    const { text, series } = renderBasetenExposition(fleet, T_EVEN_MINUTE);
    expect(series).toBeGreaterThanOrEqual(min);
    expect(series).toBeLessThanOrEqual(max);
    let lines = 0;
    for (let i = text.indexOf('\n'), start = 0; i >= 0; start = i + 1, i = text.indexOf('\n', start)) {
      if (text[start] !== '#') lines++;
    }
    expect(lines).toBe(series);
  });
});

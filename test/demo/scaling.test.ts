import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenExposition } from '../../src/demo/index.js';
import { CREATED_AT, T_EVEN_MINUTE } from './fixtures.js';

describe('scaling', () => {
  it.each([
    [6, 1_000, 2_500],
    [1_000, 225_000, 275_000],
  ])('%i deployments render between %i and %i series (about 250 per deployment)', (deployments, min, max) => {
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

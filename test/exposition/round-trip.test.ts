import { describe, expect, it } from 'vitest';
import { renderOpenMetrics, renderText } from '../../src/exposition/index.js';
import { parseExposition } from '../helpers/parse-exposition.js';
import type { ExpositionFormat, MetricFamily } from '../../src/exposition/index.js';
import { goldenFixtures, inputFixtures } from './fixtures.js';

function render(families: MetricFamily[], format: ExpositionFormat): string {
  return format === 'openmetrics' ? renderOpenMetrics(families) : renderText(families);
}

// parse → render → parse gives the first parse back, in the fixture's own format, -0 included (Prometheus
// stores the sign).
describe('round trip', () => {
  it.each([...inputFixtures(), ...goldenFixtures()].map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const first = parseExposition(fixture.body, fixture.format);
    const second = parseExposition(render(first.families, fixture.format), fixture.format);
    expect(second.invalidLines).toEqual([]);
    expect(second.families).toEqual(first.families);
  });

  // Rendering is a fixed point: what the bridge writes, read again, is written identically.
  it.each(inputFixtures().map((f) => [f.file, f] as const))('%s renders identically twice', (_file, fixture) => {
    for (const format of ['text', 'openmetrics'] as const) {
      const once = render(parseExposition(fixture.body, fixture.format).families, format);
      expect(render(parseExposition(once, format).families, format)).toBe(once);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { requireBinary } from '../helpers/require-binary.js';
import { CREATED_AT, T_EVEN_MINUTE, T_ODD_MINUTE } from './fixtures.js';

const promtool = requireBinary('promtool', 'prometheus');

/** promtool check metrics: 0 = clean, 3 = lint advice only, 1 = the exposition does not parse. */
function checkMetrics(body: string): { status: number | null; output: string } {
  const result = spawnSync(promtool as string, ['check', 'metrics'], { input: body, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!promtool)('promtool check metrics', () => {
  it.each([
    ['the 6-deployment demo, speculative decoding on', 6, T_EVEN_MINUTE],
    ['the 6-deployment demo, speculative decoding off', 6, T_ODD_MINUTE],
    ['100 deployments', 100, T_EVEN_MINUTE],
  ])('accepts %s', (_, deployments, atMs) => {
    const body = renderBasetenMetrics(buildFleet({ deployments, seed: 1, createdAtMs: CREATED_AT }), atMs);
    const { status, output } = checkMetrics(body);
    expect([0, 3], `promtool exited ${String(status)}: ${output.slice(0, 2_000)}`).toContain(status);
  });

  it('rejects a broken exposition (the check can fail)', () => {
    expect(checkMetrics('# TYPE x counter\nx{a="b} 1\n').status).toBe(1);
  });
});

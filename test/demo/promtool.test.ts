import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { requireBinary } from '../helpers/require-binary.js';
import { CREATED_AT, T_EVEN_MINUTE, T_ODD_MINUTE } from './fixtures.js';

const promtool = requireBinary('promtool', 'prometheus');

/** promtool check metrics: 0 = clean, 3 = lint advice only, 1 = the exposition does not parse. */
function checkMetrics(body: string): { status: number | null; output: string } {
  const result = spawnSync(promtool as string, ['check', 'metrics'], {
    input: body,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The one piece of advice promtool gives: the engines' names carry a colon, which its linter reserves for
 * recording rules. The engines write them so (ENGINES.md) and the text format allows them: the body parses.
 */
const ENGINE_NAME_ADVICE = /^(vllm|sglang):\w+ metric names should not contain ':'$/;

describe.skipIf(!promtool)('promtool check metrics', () => {
  it.each([
    ['the 6-deployment demo, speculative decoding on', 6, T_EVEN_MINUTE, true],
    ['the 6-deployment demo, speculative decoding off', 6, T_ODD_MINUTE, true],
    ["the 6-deployment demo, engine series with Baseten's labels only", 6, T_EVEN_MINUTE, false],
    ['100 deployments', 100, T_EVEN_MINUTE, true],
  ])("accepts %s, advising only on the engines' colons", (_, deployments, atMs, engineLabels) => {
    const body = renderBasetenMetrics(
      buildFleet({ deployments, seed: 1, createdAtMs: CREATED_AT, engineLabels }),
      atMs,
    );
    const { status, output } = checkMetrics(body);
    expect(status, `promtool exited ${String(status)}: ${output.slice(0, 2_000)}`).toBe(3);
    const advice = output.split('\n').filter((line) => line !== '');
    expect(advice.length).toBeGreaterThan(50);
    for (const line of advice) expect(line).toMatch(ENGINE_NAME_ADVICE);
  });

  it("finds nothing to say about the platform families (the body without the engines' families)", () => {
    expect(
      checkMetrics(
        renderBasetenMetrics(buildFleet({ deployments: 4, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE).replace(
          /^(# \w+ )?(vllm|sglang):.*\n/gm,
          '',
        ),
      ),
    ).toEqual({ status: 0, output: '' });
  });

  it('rejects a broken exposition (the check can fail)', () => {
    expect(checkMetrics('# TYPE x counter\nx{a="b} 1\n').status).toBe(1);
  });
});

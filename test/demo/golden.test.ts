/**
 * Pins the simulator's bytes. The first: four deployments (an LLM with speculative decoding on vLLM, an async
 * model with a backslash in its name and a deployment outside any environment) at an even minute, the engine
 * series with the engine's own labels. The second: the engines' families alone of the six-deployment demo (vLLM
 * and SGLang) relayed with Baseten's labels only. Also realistic fixtures for the exposition parser's tests.
 * Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run test/demo/golden.test.ts`, and
 * review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { updatingGoldens } from '../helpers/golden.js';
import { CREATED_AT, T_EVEN_MINUTE } from './fixtures.js';

const golden = (name: string): string => fileURLToPath(new URL(`../testdata/demo/${name}`, import.meta.url));

/** The engines' families of a body: their HELP, TYPE and sample lines. */
function engineFamilies(body: string): string {
  return body.replace(/^(?!(# (HELP|TYPE) )?(vllm|sglang):).*\n/gm, '');
}

describe('golden exposition', () => {
  it.each([
    [
      'seed-1-deployments-4-even-minute.prom',
      () => renderBasetenMetrics(buildFleet({ deployments: 4, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE),
    ],
    [
      'seed-1-deployments-6-engines-without-engine-labels.prom',
      () =>
        engineFamilies(
          renderBasetenMetrics(
            buildFleet({ deployments: 6, seed: 1, createdAtMs: CREATED_AT, engineLabels: false }),
            T_EVEN_MINUTE,
          ),
        ),
    ],
  ])('%s, at 2025-01-01T00:00:00Z, byte for byte', (name, render) => {
    const body = render();
    if (updatingGoldens()) writeFileSync(golden(name), body);
    expect(body).toBe(readFileSync(golden(name), 'utf8'));
  });
});

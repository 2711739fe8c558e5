/**
 * Pins the simulator's bytes: four deployments (an LLM with speculative decoding, an async model with a
 * backslash in its name and a deployment outside any environment) at an even minute. Also a realistic
 * fixture for the exposition parser's tests. Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run test/demo/golden.test.ts`, and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { updatingGoldens } from '../helpers/golden.js';
import { CREATED_AT, T_EVEN_MINUTE } from './fixtures.js';

const GOLDEN = fileURLToPath(new URL('../testdata/demo/seed-1-deployments-4-even-minute.prom', import.meta.url));

describe('golden exposition', () => {
  it('renders seed 1, 4 deployments, at 2025-01-01T00:00:00Z byte for byte', () => {
    const body = renderBasetenMetrics(buildFleet({ deployments: 4, seed: 1, createdAtMs: CREATED_AT }), T_EVEN_MINUTE);
    if (updatingGoldens()) writeFileSync(GOLDEN, body);
    expect(body).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});

import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, nextAttemptDelay, type AttemptResult } from '../../src/upstream/index.js';

const MIN = 60_000;
const mid = () => 0.5;

describe('nextAttemptDelay', () => {
  it.each<[string, AttemptResult, number, number]>([
    ['success', { ok: true }, 0, MIN],
    ['429 with Retry-After', { ok: false, reason: 'rate_limited', retryAfterMs: 120_000 }, 1, 120_000],
    ['429 with a short Retry-After waits the interval', { ok: false, reason: 'rate_limited', retryAfterMs: 1_000 }, 1, MIN],
    ['429 with a huge Retry-After is capped', { ok: false, reason: 'rate_limited', retryAfterMs: 3_600_000 }, 1, BACKOFF_CAP_MS],
    ['first 429 without Retry-After doubles', { ok: false, reason: 'rate_limited' }, 1, 2 * MIN],
    ['third 429 without Retry-After', { ok: false, reason: 'rate_limited' }, 3, BACKOFF_CAP_MS],
    ['first 5xx retries inside the interval', { ok: false, reason: 'http_5xx' }, 1, 15_000],
    ['first timeout retries inside the interval', { ok: false, reason: 'timeout' }, 1, 15_000],
    ['second network failure backs off', { ok: false, reason: 'network' }, 2, MIN],
    ['third network failure doubles', { ok: false, reason: 'network' }, 3, 2 * MIN],
    ['many 5xx are capped', { ok: false, reason: 'http_5xx' }, 20, BACKOFF_CAP_MS],
    ['auth waits one interval', { ok: false, reason: 'auth' }, 7, MIN],
    ['parse waits one interval', { ok: false, reason: 'parse' }, 3, MIN],
  ])('%s', (_name, result, failures, expected) => {
    expect(nextAttemptDelay(result, failures, MIN, mid)).toBe(expected);
  });

  it('jitters within ±20 % and never below the interval', () => {
    const low = nextAttemptDelay({ ok: false, reason: 'rate_limited' }, 1, MIN, () => 0);
    const high = nextAttemptDelay({ ok: false, reason: 'rate_limited' }, 1, MIN, () => 1);
    expect(low).toBe(96_000);
    expect(high).toBe(144_000);
    expect(nextAttemptDelay({ ok: false, reason: 'network' }, 2, MIN, () => 0)).toBe(MIN);
  });

  it('never waits less than the interval when the interval is longer than the cap', () => {
    expect(nextAttemptDelay({ ok: false, reason: 'rate_limited' }, 5, 10 * MIN, mid)).toBe(10 * MIN);
  });
});

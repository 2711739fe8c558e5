import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  failureRun,
  nextAttempt,
  RETRY_AFTER_CAP_MS,
  type AttemptResult,
  type NextAttempt,
} from '../../src/upstream/index.js';

const MIN = 60_000;
const mid = () => 0.5;
/** A target at the defaults whose last good data is a minute old: it stays fresh 4 more minutes. */
const TIMING = { intervalMs: MIN, timeoutMs: 20_000, maxStalenessMs: 5 * MIN, freshForMs: 4 * MIN };

describe('nextAttempt', () => {
  it.each<[string, AttemptResult, number, NextAttempt]>([
    ['success', { ok: true }, 0, { delayMs: MIN, why: 'interval' }],
    [
      'first 5xx: one quick retry a quarter interval later',
      { ok: false, reason: 'http_5xx' },
      1,
      { delayMs: 15_000, why: 'quick_retry' },
    ],
    ['first timeout: one quick retry', { ok: false, reason: 'timeout' }, 1, { delayMs: 15_000, why: 'quick_retry' }],
    [
      'second network failure in a row: the interval',
      { ok: false, reason: 'network' },
      2,
      { delayMs: MIN, why: 'interval' },
    ],
    [
      'the twentieth 5xx in a row: still the interval, never later',
      { ok: false, reason: 'http_5xx' },
      20,
      { delayMs: MIN, why: 'interval' },
    ],
    ['auth: the interval', { ok: false, reason: 'auth' }, 7, { delayMs: MIN, why: 'interval' }],
    ['parse (an HTML page): the interval', { ok: false, reason: 'parse' }, 3, { delayMs: MIN, why: 'interval' }],
    ['the builder failed: the interval', { ok: false, reason: 'builder_failed' }, 1, { delayMs: MIN, why: 'interval' }],
    [
      '429 with Retry-After: as Baseten asks',
      { ok: false, reason: 'rate_limited', retryAfterMs: 120_000 },
      1,
      { delayMs: 120_000, why: 'retry_after' },
    ],
    [
      '429 with a Retry-After past the staleness: still as Baseten asks',
      { ok: false, reason: 'rate_limited', retryAfterMs: 10 * MIN },
      1,
      { delayMs: 10 * MIN, why: 'retry_after' },
    ],
    [
      '429 with a short Retry-After: never sooner than the interval',
      { ok: false, reason: 'rate_limited', retryAfterMs: 1_000 },
      1,
      { delayMs: MIN, why: 'retry_after' },
    ],
    [
      '429 with a Retry-After a day away: an hour at most',
      { ok: false, reason: 'rate_limited', retryAfterMs: 24 * 60 * MIN },
      1,
      { delayMs: RETRY_AFTER_CAP_MS, why: 'retry_after' },
    ],
    [
      'first 429 without Retry-After: the interval',
      { ok: false, reason: 'rate_limited' },
      1,
      { delayMs: MIN, why: 'interval' },
    ],
    [
      'second 429 in a row: twice the interval',
      { ok: false, reason: 'rate_limited' },
      2,
      { delayMs: 2 * MIN, why: 'rate_limited_backoff' },
    ],
    [
      'third 429 in a row: capped one timeout before the data goes stale',
      { ok: false, reason: 'rate_limited' },
      3,
      { delayMs: 4 * MIN - 20_000, why: 'rate_limited_backoff' },
    ],
  ])('%s', (_name, result, run, expected) => {
    expect(nextAttempt(result, run, TIMING, mid)).toEqual(expected);
  });

  it('429s without Retry-After: exponential from the interval, jittered ±20 %', () => {
    const fresh = { ...TIMING, freshForMs: 60 * MIN, maxStalenessMs: 61 * MIN };
    expect(nextAttempt({ ok: false, reason: 'rate_limited' }, 2, fresh, () => 0).delayMs).toBe(96_000);
    expect(nextAttempt({ ok: false, reason: 'rate_limited' }, 2, fresh, () => 1).delayMs).toBe(144_000);
    // Jitter never brings it under the interval, and 5 minutes is the most it waits however fresh the data.
    expect(nextAttempt({ ok: false, reason: 'rate_limited' }, 1, fresh, () => 0)).toEqual({
      delayMs: MIN,
      why: 'interval',
    });
    expect(nextAttempt({ ok: false, reason: 'rate_limited' }, 9, fresh, mid).delayMs).toBe(BACKOFF_CAP_MS);
  });

  it.each([
    ['data nearly stale: the interval, never less', 30_000, MIN],
    ['no data yet: as if fetched now (max_staleness less one timeout)', undefined, 5 * MIN - 20_000],
    ['data already stale: the interval', -MIN, MIN],
  ])('429 backoff cap, %s', (_name, freshForMs, expected) => {
    expect(nextAttempt({ ok: false, reason: 'rate_limited' }, 8, { ...TIMING, freshForMs }, mid).delayMs).toBe(
      expected,
    );
  });

  it('a short interval: the quick retry is at least 2 s, and never waits past the interval', () => {
    const short = { intervalMs: 5_000, timeoutMs: 4_000, maxStalenessMs: 5 * MIN, freshForMs: 5 * MIN };
    expect(nextAttempt({ ok: false, reason: 'network' }, 1, short, mid)).toEqual({
      delayMs: 2_000,
      why: 'quick_retry',
    });
    expect(nextAttempt({ ok: false, reason: 'network' }, 5, short, mid)).toEqual({ delayMs: 5_000, why: 'interval' });
  });

  it('an interval longer than the cap: never less than the interval', () => {
    expect(
      nextAttempt(
        { ok: false, reason: 'rate_limited' },
        5,
        { ...TIMING, intervalMs: 10 * MIN, freshForMs: 20 * MIN, maxStalenessMs: 30 * MIN },
        mid,
      ).delayMs,
    ).toBe(10 * MIN);
  });
});

describe('failureRun: what is counted as one run of failures', () => {
  it.each([
    ['http_5xx', 'transient'],
    ['network', 'transient'],
    ['timeout', 'transient'],
    ['rate_limited', 'rate_limited'],
    ['parse', 'other'],
    ['auth', 'other'],
    ['builder_failed', 'other'],
  ] as const)('%s → %s', (reason, run) => {
    expect(failureRun(reason)).toBe(run);
  });
});

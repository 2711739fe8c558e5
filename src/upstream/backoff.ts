/**
 * When to try again after an attempt, and why. The bridge sends one request per interval: that is no load to
 * back off from (the rate budget already holds it to Baseten's 6 per minute), so only Baseten asking for
 * less, a 429, puts the next attempt later than one interval after a failure:
 * - success, or any failure but a 429: the next interval, so a recovered Baseten is served again within two;
 * - 5xx, network, timeout: the first of a run also gets one quick retry a quarter interval later;
 * - 429 with Retry-After: as Baseten asks (never sooner than the interval, at most an hour);
 * - 429 without it: exponential from the interval with ±20 % jitter, but never so long that the bridge's own
 *   waiting makes the last good data stale: the attempt is due one timeout before the data would go stale
 *   (and at most 5 minutes away).
 * Failures are counted per kind (a run of 429s, a run of 5xx/network/timeout): a 500 after a run of 429s is
 * the first of its own run. The rate budget still has the last word on every attempt.
 */
import type { BuildFailureReason } from '../snapshot/index.js';
import type { FetchFailureReason } from './fetch-result.js';

/** The longest a 429 without Retry-After makes the bridge wait. */
export const BACKOFF_CAP_MS = 5 * 60_000;
/** The longest Retry-After honoured: a date far ahead is a broken header, not a request to stop for a day. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;
/** The quick retry's floor: a quarter of a short interval is too soon to be worth a request. */
const QUICK_RETRY_MIN_MS = 2_000;

/** Why the next attempt is due when it is: the status page and the failed-fetch log line say it. */
export const NEXT_ATTEMPT_REASONS = [
  'interval',
  'quick_retry',
  'retry_after',
  'rate_limited_backoff',
  'budget',
] as const;
export type NextAttemptReason = (typeof NEXT_ATTEMPT_REASONS)[number];

export interface AttemptResult {
  ok: boolean;
  reason?: FetchFailureReason | BuildFailureReason | 'key';
  retryAfterMs?: number;
}

/** Kinds of failure whose runs are counted: the quick retry and the 429 backoff depend on them. */
export type FailureRun = 'transient' | 'rate_limited' | 'other';

export function failureRun(reason: AttemptResult['reason']): FailureRun {
  switch (reason) {
    case 'rate_limited':
      return 'rate_limited';
    case 'http_5xx':
    case 'network':
    case 'timeout':
      return 'transient';
    case 'auth':
    case 'key':
    case 'http_4xx':
    case 'redirect':
    case 'body_too_large':
    case 'parse':
    case 'sample_limit':
    case 'label_limit':
    case 'key_in_body':
    case 'builder_failed':
    case undefined:
      return 'other';
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

export interface AttemptTiming {
  intervalMs: number;
  timeoutMs: number;
  /** Milliseconds from now until the last good data goes stale; undefined when there is none yet. */
  freshForMs: number | undefined;
  maxStalenessMs: number;
}

export interface NextAttempt {
  delayMs: number;
  why: NextAttemptReason;
}

/**
 * Milliseconds from now until the next attempt, and why. `run` counts the consecutive failures of this
 * attempt's kind (failureRun), this one included: 1 for the first of a run.
 */
export function nextAttempt(
  result: AttemptResult,
  run: number,
  timing: AttemptTiming,
  random: () => number = Math.random,
): NextAttempt {
  const { intervalMs } = timing;
  const interval: NextAttempt = { delayMs: intervalMs, why: 'interval' };
  if (result.ok) return interval;
  switch (failureRun(result.reason)) {
    case 'transient':
      return run <= 1
        ? { delayMs: Math.max(QUICK_RETRY_MIN_MS, Math.round(intervalMs / 4)), why: 'quick_retry' }
        : interval;
    case 'rate_limited':
      if (result.retryAfterMs !== undefined)
        return { delayMs: Math.max(intervalMs, Math.min(RETRY_AFTER_CAP_MS, result.retryAfterMs)), why: 'retry_after' };
      return rateLimitedBackoff(run, timing, random);
    case 'other':
      return interval;
  }
}

/** interval × 2^(run−1), ±20 %, capped at the time the data stays fresh less one timeout and at 5 minutes. */
function rateLimitedBackoff(run: number, timing: AttemptTiming, random: () => number): NextAttempt {
  const { intervalMs, timeoutMs } = timing;
  const raw = intervalMs * 2 ** Math.min(20, Math.max(0, run - 1));
  const jittered = Math.round(raw * (0.8 + 0.4 * random()));
  const freshFor = timing.freshForMs ?? timing.maxStalenessMs;
  const cap = Math.min(BACKOFF_CAP_MS, freshFor - timeoutMs);
  const delayMs = Math.max(intervalMs, Math.min(cap, jittered));
  return { delayMs, why: delayMs > intervalMs ? 'rate_limited_backoff' : 'interval' };
}

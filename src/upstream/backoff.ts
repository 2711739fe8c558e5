/**
 * When to try again after an attempt. Prometheus retries nothing and ignores Retry-After; the bridge is
 * gentler with a rate-limited SaaS endpoint:
 * - success, or a failure that retrying cannot fix (parse, 4xx, redirect, size): the next interval;
 * - 429: Retry-After when given, else exponential backoff with jitter, capped at 5 minutes;
 * - 5xx, network, timeout: one quick retry inside the interval, then exponential backoff;
 * - auth: one attempt per interval (the key source is re-read before each).
 * The rate budget still has the last word on every attempt.
 */
import type { BuildFailureReason } from '../snapshot/index.js';
import type { FetchFailureReason } from './fetch-result.js';

export const BACKOFF_CAP_MS = 5 * 60_000;

export interface AttemptResult {
  ok: boolean;
  reason?: FetchFailureReason | BuildFailureReason | 'key';
  retryAfterMs?: number;
}

/** Exponential in the number of consecutive failures, with ±20 % jitter, never below the interval. */
function exponential(failures: number, intervalMs: number, random: () => number): number {
  const raw = Math.min(BACKOFF_CAP_MS, intervalMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(raw * (0.8 + 0.4 * random()));
  return Math.max(intervalMs, Math.min(Math.max(BACKOFF_CAP_MS, intervalMs), jittered));
}

/** Milliseconds from now until the next attempt. `failures` counts this one if it failed. */
export function nextAttemptDelay(result: AttemptResult, failures: number, intervalMs: number, random: () => number = Math.random): number {
  if (result.ok) return intervalMs;
  switch (result.reason) {
    case 'rate_limited':
      if (result.retryAfterMs !== undefined) return Math.min(Math.max(intervalMs, result.retryAfterMs), Math.max(BACKOFF_CAP_MS, intervalMs));
      return exponential(failures + 1, intervalMs, random);
    case 'http_5xx':
    case 'network':
    case 'timeout':
      // The first failure gets one retry a quarter interval later (at least 2 s); then back off.
      if (failures <= 1) return Math.max(2_000, Math.round(intervalMs / 4));
      return exponential(failures - 1, intervalMs, random);
    case 'auth':
    case 'key':
    case 'http_4xx':
    case 'redirect':
    case 'body_too_large':
    case 'parse':
    case 'sample_limit':
    case 'label_limit':
    case 'key_in_body':
    case undefined:
      return intervalMs;
    default: {
      const unreachable: never = result.reason;
      return unreachable;
    }
  }
}

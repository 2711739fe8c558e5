/**
 * The schedule fields of one upstream — interval, timeout, connect_timeout, max_staleness — read together,
 * because their defaults must compose: as Prometheus does for `scrape_timeout`, a timeout the user did not set
 * follows a short interval instead of failing against it, and an interval the budget cannot afford names the
 * shortest one it can.
 */
import type { FieldReader } from './field-reader.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_INTERVAL, DEFAULT_MAX_STALENESS, DEFAULT_TIMEOUT, MIN_INTERVAL_MS } from './schema.js';
import { parseDuration } from './duration.js';

/** How far below the interval a timeout that was not set ends: a fetch must finish before the next is due. */
export const TIMEOUT_MARGIN_MS = 1_000;

export interface Timing {
  intervalMs: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxStalenessMs: number;
}

/** The shortest interval `perMinute` requests a minute allow, in whole seconds. */
export function shortestInterval(perMinute: number): number {
  return Math.max(MIN_INTERVAL_MS, Math.ceil(60_000 / perMinute / 1000) * 1000);
}

export function readTiming(r: FieldReader, maxRequestsPerMinute: number, prefix: string): Timing {
  const intervalMs = r.duration('interval', DEFAULT_INTERVAL);
  const explicitTimeout = r.has('timeout');
  const defaultTimeoutMs = parseDuration(DEFAULT_TIMEOUT)!;
  // Not set and the default would not fit: the interval less a second, as scrape_timeout follows scrape_interval.
  const timeoutMs = explicitTimeout ? r.duration('timeout', DEFAULT_TIMEOUT) : intervalMs > 0 && defaultTimeoutMs >= intervalMs ? Math.max(intervalMs - TIMEOUT_MARGIN_MS, intervalMs / 2) : defaultTimeoutMs;
  const maxStalenessMs = r.duration('max_staleness', DEFAULT_MAX_STALENESS);
  const explicitConnect = r.has('connect_timeout');
  const connectTimeoutMs = explicitConnect ? r.duration('connect_timeout', '10s') : Math.min(DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs);

  if (intervalMs > 0 && 60_000 / intervalMs > maxRequestsPerMinute) {
    const shortest = shortestInterval(maxRequestsPerMinute);
    const perMinute = Number((60_000 / intervalMs).toFixed(1));
    const raise = maxRequestsPerMinute < 6 ? `, or raise ${prefix}.max_requests_per_minute (at most 6, which allows 10s)` : " (Baseten's limit is 6 per minute per organization)";
    r.problem('interval', `${intervalMs / 1000}s means ${perMinute} requests per minute, above ${prefix}.max_requests_per_minute (${maxRequestsPerMinute}); use ${shortest / 1000}s or more${raise}; 60s is recommended`);
  }
  if (explicitTimeout && timeoutMs === 0) r.problem('timeout', 'must be above 0 (e.g. 20s)');
  if (explicitTimeout && timeoutMs > 0 && intervalMs > 0 && timeoutMs >= intervalMs) {
    r.problem('timeout', `must be below ${prefix}.interval (e.g. timeout 20s with interval 60s; leave timeout out and it follows the interval)`);
  }
  if (explicitConnect && (connectTimeoutMs === 0 || connectTimeoutMs > timeoutMs)) r.problem('connect_timeout', `must be above 0 and at most ${prefix}.timeout (e.g. 10s)`);
  if (maxStalenessMs > 0 && intervalMs > 0 && maxStalenessMs < intervalMs) {
    r.problem('max_staleness', `must be at least ${prefix}.interval (the default 5m allows a few failed fetches)`);
  }
  return { intervalMs, timeoutMs, connectTimeoutMs, maxStalenessMs };
}

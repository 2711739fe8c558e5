/**
 * The schedule fields of one upstream — interval, timeout, connect_timeout, max_staleness — settled together
 * once read (their keys are declared in upstream.ts), because their defaults must compose: as Prometheus does
 * for `scrape_timeout`, a timeout the user did not set follows a short interval instead of failing against it,
 * and an interval the budget cannot afford names the shortest one it can.
 */
import type { Decoder } from '../decode/index.js';

/** How far below the interval a timeout that was not set ends: a fetch must finish before the next is due. */
export const TIMEOUT_MARGIN_MS = 1_000;
/** One request every 10 s is Baseten's limit: no interval can be shorter. */
export const MIN_INTERVAL_MS = 10_000;

/** The schedule fields of an UpstreamConfig, named here so that upstream.ts can import this file (no cycle). */
interface Timing {
  intervalMs: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxStalenessMs: number;
  maxRequestsPerMinute: number;
}

/** The shortest interval `perMinute` requests a minute allow, in whole seconds. */
export function shortestInterval(perMinute: number): number {
  return Math.max(MIN_INTERVAL_MS, Math.ceil(60_000 / perMinute / 1000) * 1000);
}

/**
 * `d` is the upstream section, read into `t` (the timeouts not set at their defaults); its path prefixes the
 * fields named in the fixes. Sets the timeouts that follow, then checks the fields against each other.
 */
export function settleTiming(d: Decoder, t: Timing): void {
  const explicitTimeout = d.at('timeout').isSet;
  // Not set and the default would not fit: the interval less a second, as scrape_timeout follows scrape_interval.
  if (!explicitTimeout && t.intervalMs > 0 && t.timeoutMs >= t.intervalMs)
    t.timeoutMs = Math.max(t.intervalMs - TIMEOUT_MARGIN_MS, t.intervalMs / 2);
  const explicitConnect = d.at('connect_timeout').isSet;
  if (!explicitConnect) t.connectTimeoutMs = Math.min(t.connectTimeoutMs, t.timeoutMs);
  validateTiming(d, t, explicitTimeout, explicitConnect);
}

function validateTiming(d: Decoder, t: Timing, explicitTimeout: boolean, explicitConnect: boolean): void {
  const prefix = d.path;
  const { intervalMs, timeoutMs, connectTimeoutMs, maxStalenessMs, maxRequestsPerMinute } = t;
  if (intervalMs > 0 && 60_000 / intervalMs > maxRequestsPerMinute) {
    const shortest = shortestInterval(maxRequestsPerMinute);
    const perMinute = Number((60_000 / intervalMs).toFixed(1));
    const raise =
      maxRequestsPerMinute < 6
        ? `, or raise ${prefix}.max_requests_per_minute (at most 6, which allows 10s)`
        : " (Baseten's limit is 6 per minute per organization)";
    d.at('interval').problem(
      `${intervalMs / 1000}s means ${perMinute} requests per minute, above ` +
        `${prefix}.max_requests_per_minute (${maxRequestsPerMinute}); use ` +
        `${shortest / 1000}s or more${raise}; 60s is recommended`,
    );
  }
  if (explicitTimeout && timeoutMs === 0) d.at('timeout').problem('must be above 0 (e.g. 20s)');
  if (explicitTimeout && timeoutMs > 0 && intervalMs > 0 && timeoutMs >= intervalMs) {
    d.at('timeout').problem(
      `must be below ${prefix}.interval (e.g. timeout 20s with interval 60s; ` +
        `leave timeout out and it follows the interval)`,
    );
  }
  if (explicitConnect && (connectTimeoutMs === 0 || connectTimeoutMs > timeoutMs))
    d.at('connect_timeout').problem(`must be above 0 and at most ${prefix}.timeout (e.g. 10s)`);
  if (maxStalenessMs > 0 && intervalMs > 0 && maxStalenessMs < intervalMs) {
    d.at('max_staleness').problem(`must be at least ${prefix}.interval (the default 5m allows a few failed fetches)`);
  }
}

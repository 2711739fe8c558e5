/**
 * A target through Baseten incidents, at the default 60 s interval with an injected clock: the attempts are
 * driven as the scheduler drives them (each at the time the last one said), against a loopback upstream whose
 * answer depends on that clock. Recovery comes within two intervals of Baseten's; a storm of 429s without
 * Retry-After never makes the data stale while some requests get through; the log and the status page say
 * when data stops and starts being served, and when the next attempt is due and why.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { Bridge } from '../../src/targets/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const BODY = '# TYPE baseten_inference_requests_total counter\nbaseten_inference_requests_total{model_name="a"} 5\n';
const T0 = 1_700_000_000_000;
const MIN = 60_000;

let server: TestServer;
let clock: number;
/** What the upstream answers at the current clock. */
let answer: () => { status: number; headers?: Record<string, string>; html?: boolean };

beforeEach(async () => {
  clock = T0;
  answer = () => ({ status: 200 });
  server = await startTestServer((_req, res) => {
    const { status, headers, html } = answer();
    res.writeHead(status, { 'Content-Type': html ? 'text/html' : 'text/plain; version=0.0.4', ...headers });
    res.end(
      html
        ? '<html><body>Down for maintenance</body></html>'
        : status === 200
          ? BODY.replace('} 5', `} ${clock}`)
          : 'error',
    );
  });
});

afterEach(async () => {
  await server.close();
});

function makeBridge(upstream: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'info', format: 'logfmt', secrets, write: (l) => lines.push(l) });
  const config = buildConfig({ upstream: { url: server.url, ...upstream } }, 'test', '/').targets[0]!;
  const bridge = new Bridge({
    config,
    logger,
    secrets,
    metrics: createBridgeMetrics(),
    keyLookup: { env: { BASETEN_API_KEY: KEY }, homeDir: '/nonexistent' },
    now: () => clock,
    random: () => 0.5,
  });
  return { bridge, lines };
}

interface Attempt {
  atMs: number;
  ok: boolean;
  reason?: string;
  nextWhy: string;
}

/**
 * Runs attempts as the scheduler would until `untilMs`: each at the time the previous one said, the clock
 * stepping through every second in between (the scheduler's tick) so that staleness is noticed when it happens.
 * `everySecond` sees the bridge at each of those seconds.
 */
async function drive(
  bridge: Bridge,
  untilMs: number,
  everySecond: (atMs: number) => void = () => undefined,
): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let due = clock;
  while (due <= untilMs) {
    for (; clock < due; clock = Math.min(due, clock + 1_000)) {
      bridge.noticeFreshness();
      everySecond(clock);
    }
    const outcome = await bridge.runCycle();
    attempts.push({
      atMs: clock,
      ok: outcome.ok,
      nextWhy: outcome.nextWhy,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    });
    due = outcome.nextDueMs;
  }
  return attempts;
}

describe('recovery at the default 60 s interval', () => {
  it.each([
    ['HTTP 500 for 4 minutes', () => ({ status: 500 }), 1],
    ['HTTP 503 for 4 minutes', () => ({ status: 503 }), 1],
    ['HTTP 404 for 4 minutes (no quick retry: retrying cannot fix it)', () => ({ status: 404 }), 0],
  ])('%s: fresh data within two intervals of Baseten recovering', async (_name, failing, quickRetries) => {
    const { bridge } = makeBridge();
    const recoveredAt = T0 + 5_000 + 4 * MIN;
    answer = () => (clock > T0 && clock < recoveredAt ? failing() : { status: 200 });
    const attempts = await drive(bridge, recoveredAt + 3 * MIN);
    const firstGood = attempts.find((a) => a.atMs >= recoveredAt && a.ok)!;
    expect(firstGood.atMs - recoveredAt).toBeLessThanOrEqual(2 * MIN);
    // No attempt during the outage came later than one interval after the one before it.
    const during = attempts.filter((a) => a.atMs > T0 && a.atMs <= firstGood.atMs);
    for (let i = 1; i < during.length; i++) expect(during[i]!.atMs - during[i - 1]!.atMs).toBeLessThanOrEqual(MIN);
    // One quick retry after the first failure, then one attempt per interval; every attempt after recovery is good.
    expect(attempts.filter((a) => a.nextWhy === 'quick_retry')).toHaveLength(quickRetries);
    expect(attempts.filter((a) => a.atMs >= recoveredAt).every((a) => a.ok)).toBe(true);
  });

  it(
    'an incident of every kind (500s, an HTML page, 502s): one quick retry ' +
      'per run of transient failures, else the interval',
    async () => {
      const { bridge } = makeBridge();
      answer = () => {
        if (clock > T0 && clock <= T0 + 100_000) return { status: 500 };
        if (clock > T0 + 100_000 && clock <= T0 + 160_000) return { status: 200, html: true };
        if (clock > T0 + 160_000 && clock <= T0 + 240_000) return { status: 502 };
        return { status: 200 };
      };
      const attempts = await drive(bridge, T0 + 270_000);
      expect(attempts.map((a) => [(a.atMs - T0) / 1000, a.reason ?? 'ok', a.nextWhy])).toEqual([
        [0, 'ok', 'interval'],
        [60, 'http_5xx', 'quick_retry'],
        [75, 'http_5xx', 'interval'],
        [135, 'parse', 'interval'],
        [195, 'http_5xx', 'quick_retry'],
        [210, 'http_5xx', 'interval'],
        [270, 'ok', 'interval'],
      ]);
    },
  );
});

describe('a storm of 429s without Retry-After', () => {
  it(
    'backs off from the interval, but never so long that the data goes ' + 'stale while Baseten answers some requests',
    async () => {
      const { bridge } = makeBridge();
      // After the first good fetch, 3 of every 4 requests are refused: the worst a neighbour spending the
      // organization's budget does to us.
      let requests = 0;
      answer = () => (clock > T0 && ++requests % 4 !== 0 ? { status: 429 } : { status: 200 });
      let staleAt: number | undefined;
      const attempts = await drive(bridge, T0 + 60 * MIN, (at) => {
        if (bridge.store.servable() === undefined) staleAt ??= at;
      });
      expect(staleAt, 'the data went stale').toBeUndefined();
      expect(attempts.filter((a) => a.reason === 'rate_limited').length).toBeGreaterThan(20);
      // It did back off: some attempts came later than the interval.
      expect(attempts.filter((a) => a.nextWhy === 'rate_limited_backoff').length).toBeGreaterThan(5);
    },
  );

  it('Retry-After is honoured as Baseten asks, even past the interval', async () => {
    const { bridge } = makeBridge();
    answer = () =>
      clock > T0 && clock < T0 + 5 * MIN ? { status: 429, headers: { 'Retry-After': '150' } } : { status: 200 };
    const attempts = await drive(bridge, T0 + 4 * MIN);
    expect(attempts[1]).toMatchObject({ ok: false, reason: 'rate_limited', nextWhy: 'retry_after' });
    expect(attempts[2]!.atMs - attempts[1]!.atMs).toBe(150_000);
    expect(bridge.status.targets()[0]).toMatchObject({ nextFetchReason: 'retry_after' });
  });
});

describe('saying it', () => {
  it(
    'one line when the data stops being served, one when it is served ' +
      'again; the failure line says when the next attempt is due and why',
    async () => {
      const { bridge, lines } = makeBridge({ max_staleness: '3m' });
      const recoveredAt = T0 + 5 * MIN;
      answer = () => (clock > T0 && clock < recoveredAt ? { status: 500 } : { status: 200 });
      await drive(bridge, recoveredAt + MIN);
      const said = lines.map((l) => l.replace(/^ts=\S+ /, '').trim());
      expect(said.filter((l) => l.includes('fetch failed'))).toEqual([
        'level=warn msg="fetch failed; serving the last good data while it is ' +
          'fresh" reason=http_5xx err="upstream error (HTTP 500)" ' +
          'data_age_seconds=60 next_attempt_in=15s next_attempt=quick_retry target=default',
      ]);
      expect(said.filter((l) => l.includes('no longer served'))).toEqual([
        'level=warn msg="the last good data is now older than max_staleness: ' +
          'its series are no longer served until a fetch succeeds" ' +
          'max_staleness=180s target=default last_error=http_5xx',
      ]);
      expect(said.filter((l) => l.includes('served again'))).toEqual([
        'level=info msg="data is fresh again: its series are served again" max_staleness=180s target=default',
      ]);
      // Said once each, in that order.
      const order = ['fetch failed', 'no longer served', 'fetched Baseten metrics again', 'served again'].map((m) =>
        said.findIndex((l) => l.includes(m)),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
    },
  );

  it('the status page says when the next fetch is due and why', async () => {
    const { bridge } = makeBridge();
    await bridge.runCycle();
    expect(bridge.status.targets()[0]).toMatchObject({ nextFetchMs: T0 + MIN, nextFetchReason: 'interval' });
    answer = () => ({ status: 500 });
    clock += MIN;
    await bridge.runCycle();
    expect(bridge.status.targets()[0]).toMatchObject({ nextFetchMs: clock + 15_000, nextFetchReason: 'quick_retry' });
    clock += 15_000;
    await bridge.runCycle();
    expect(bridge.status.targets()[0]).toMatchObject({ nextFetchMs: clock + MIN, nextFetchReason: 'interval' });
  });
});

/**
 * How faults are switched and where they sit in request handling: validation, the start option, auth
 * and the rate limit before a fault, refuse and keep-alive connections, and the lifecycle of responses
 * a fault holds open (client leaves, close()).
 */
import { once } from 'node:events';
import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Fault, type RunningSimulator, type SimulatorOptions } from '../../src/demo/index.js';
import { KEY, T_EVEN_MINUTE } from './fixtures.js';
import { apiKeyHeader } from './http-get.js';
import { observe } from './wire-client.js';

const AUTH = apiKeyHeader(KEY);
const WRONG_KEY = apiKeyHeader('abcdefgh.wrongwrongwrong');

const started: RunningSimulator[] = [];
async function simulator(opts: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({
    apiKey: KEY,
    deployments: 1,
    rateLimitPerMinute: 1_000,
    now: () => T_EVEN_MINUTE,
    ...opts,
  });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

/** One fault of each kind that sends a 200 response of its own. */
const BODY_FAULTS: Fault[] = [
  { kind: 'reset-mid-body' },
  { kind: 'trickle', bytesPerSecond: 1 },
  { kind: 'endless' },
  { kind: 'empty' },
  { kind: 'html' },
  { kind: 'truncated-gzip' },
  { kind: 'malformed-lines', ratio: 1 },
  { kind: 'invalid-utf8' },
  { kind: 'duplicate-series' },
  { kind: 'scale', factor: 2 },
  { kind: 'no-help-type' },
];

describe('what answers before a fault', () => {
  it.each(BODY_FAULTS.map((fault) => [fault.kind, fault] as const))(
    '%s: a bad key still gets 401/403, untouched',
    async (_, fault) => {
      const sim = await simulator({ fault });
      const missing = await observe(sim.url);
      const wrong = await observe(sim.url, { headers: WRONG_KEY });
      expect([missing.status, wrong.status]).toEqual([401, 403]);
      expect(JSON.parse(wrong.body.toString('utf8'))).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(sim.requests).toEqual([
        { atMs: T_EVEN_MINUTE, status: 401, authorized: false },
        { atMs: T_EVEN_MINUTE, status: 403, authorized: false },
      ]);
    },
  );

  it('the rate limit answers before a body fault', async () => {
    const sim = await simulator({ rateLimitPerMinute: 1, fault: { kind: 'html' } });
    expect((await observe(sim.url, { headers: AUTH })).headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await observe(sim.url, { headers: AUTH })).status).toBe(429);
    expect(sim.requests.map((r) => [r.status, r.fault])).toEqual([
      [200, 'html'],
      [429, undefined],
    ]);
  });

  it('a status fault replaces 200 and 429 after auth, but not 403 or 404', async () => {
    const sim = await simulator({ rateLimitPerMinute: 1, fault: { kind: 'status', status: 503 } });
    const statuses = [];
    for (const [url, headers] of [
      [sim.url, AUTH],
      [sim.url, AUTH], // over the limit of 1: would be 429
      [sim.url, WRONG_KEY],
      [sim.url.replace(/metrics$/, 'other'), AUTH],
    ] as const) {
      statuses.push((await observe(url, { headers })).status);
    }
    expect(statuses).toEqual([503, 503, 403, 404]);
    expect(sim.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined, undefined]);
  });

  it('hang holds every request, whatever its key', async () => {
    const sim = await simulator({ fault: { kind: 'hang' } });
    expect((await observe(sim.url, { timeoutMs: 200 })).error?.code).toBe('CLIENT_TIMEOUT');
    expect(sim.requests).toEqual([{ atMs: T_EVEN_MINUTE, status: 0, authorized: false, fault: 'hang' }]);
  });
});

describe('setFault and the fault option', () => {
  it.each<[string, unknown, string]>([
    [
      'an unknown kind',
      { kind: 'slow' },
      `kind must be one of status, refuse, reset-mid-body, hang, trickle, ` +
        `endless, empty, html, truncated-gzip, malformed-lines, invalid-utf8, ` +
        `duplicate-series, scale, no-help-type (got slow)`,
    ],
    [
      'an unlisted status',
      { kind: 'status', status: 502 },
      'status must be one of 401, 403, 404, 500, 503, 429 (got 502)',
    ],
    [
      'a bad status and a header-breaking Retry-After',
      { kind: 'status', status: 200, retryAfter: '1\r\nX-Injected: 1' },
      'status must be one of 401, 403, 404, 500, 503, 429 (got 200); ' +
        'retryAfter must be a non-empty header value of printable ASCII',
    ],
    ['a zero trickle rate', { kind: 'trickle', bytesPerSecond: 0 }, 'bytesPerSecond must be a positive number (got 0)'],
    ['a ratio above 1', { kind: 'malformed-lines', ratio: 1.5 }, 'ratio must be a number in [0, 1] (got 1.5)'],
    ['an infinite scale', { kind: 'scale', factor: Infinity }, 'factor must be a positive number (got Infinity)'],
  ])('rejects %s, and keeps the fault it had', async (_, fault, message) => {
    const sim = await simulator({ fault: { kind: 'empty' } });
    await expect(sim.setFault(fault as Fault)).rejects.toThrow(`demo: invalid fault: ${message}`);
    expect((await observe(sim.url, { headers: AUTH })).headers['content-length']).toBe('0');
  });

  it('rejects an invalid fault option with the other option problems', async () => {
    await expect(startSimulator({ apiKey: KEY, port: -1, fault: { kind: 'scale', factor: 0 } })).rejects.toThrow(
      'demo: invalid simulator options: port must be an integer in 0..65535 ' +
        '(got -1); fault: factor must be a positive number (got 0)',
    );
  });

  it('starts refusing with fault: refuse, and listens on the same port once it is cleared', async () => {
    const sim = await simulator({ fault: { kind: 'refuse' } });
    expect((await observe(sim.url, { headers: AUTH })).error?.code).toBe('ECONNREFUSED');
    await sim.setFault(undefined);
    expect((await observe(sim.url, { headers: AUTH })).status).toBe(200);
  });

  it('refuse destroys open keep-alive connections', async () => {
    const sim = await simulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const freed = once(agent, 'free') as Promise<[Socket]>;
      expect((await observe(sim.url, { headers: AUTH, agent })).status).toBe(200);
      const [idle] = await freed;
      const idleClosed = once(idle, 'close');
      await sim.setFault({ kind: 'refuse' });
      await idleClosed;
      expect((await observe(sim.url, { headers: AUTH, agent })).error?.code).toBe('ECONNREFUSED');
    } finally {
      agent.destroy();
    }
  });

  it('rejects setFault after close(), and a second close() resolves', async () => {
    const sim = await startSimulator({ apiKey: KEY, deployments: 0 });
    await sim.close();
    await expect(sim.setFault({ kind: 'html' })).rejects.toThrow('demo: setFault after close()');
    await expect(sim.close()).resolves.toBeUndefined();
  });
});

describe('responses a fault holds open', () => {
  it.each<[string, Fault]>([
    ['trickle', { kind: 'trickle', bytesPerSecond: 2_000 }],
    ['endless', { kind: 'endless' }],
  ])('%s stops writing when its client leaves', async (_, fault) => {
    const sim = await simulator({ fault });
    const res = await observe(sim.url, { headers: AUTH, abortAfterBytes: 0 });
    expect(res.aborted).toBe(true);
    await sim.settled();
    const written = sim.requests[0]?.bodyBytes ?? 0;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sim.requests[0]?.bodyBytes).toBe(written);
  });

  it('close() ends hang, trickle and endless responses and their connections', async () => {
    const sim = await simulator({ fault: { kind: 'hang' } });
    const hung = observe(sim.url, { headers: AUTH });
    await vi.waitFor(() => expect(sim.requests).toHaveLength(1), { interval: 5 });
    const streaming: Array<Promise<unknown>> = [];
    for (const fault of [{ kind: 'trickle', bytesPerSecond: 10 }, { kind: 'endless' }] as const) {
      await sim.setFault(fault);
      await new Promise<void>((onResponse) => streaming.push(observe(sim.url, { headers: AUTH, onResponse })));
    }
    await sim.close();
    const ended = await Promise.all([hung, ...streaming]);
    expect(ended.map((res) => (res as { error?: { code?: string } }).error?.code)).toEqual([
      'ECONNRESET',
      'ECONNRESET',
      'ECONNRESET',
    ]);
    await sim.settled();
  });
});

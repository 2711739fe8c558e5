import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METRICS_CONTENT_TYPE,
  renderBasetenMetrics,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../src/demo/index.js';
import { apiKeyHeader, httpGet } from './http-get.js';
import { KEY, T_EVEN_MINUTE } from './fixtures.js';

describe('simulator over loopback HTTP', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    // A generous limit: these tests are about auth and routing, not the rate limit.
    sim = await startSimulator({ apiKey: KEY, rateLimitPerMinute: 1_000, now: () => T_EVEN_MINUTE });
  });
  afterAll(() => sim.close());

  it('listens on a loopback port and serves /metrics', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  describe('auth', () => {
    it.each<[string, Record<string, string>, number, string | undefined]>([
      ['no Authorization header', {}, 401, 'UNAUTHENTICATED'],
      ['an empty Authorization header', { Authorization: '' }, 401, 'UNAUTHENTICATED'],
      ['a wrong key (Api-Key)', apiKeyHeader('abcdefgh.wrongwrongwrong'), 403, 'PERMISSION_DENIED'],
      [
        'a wrong key (Bearer)',
        apiKeyHeader('zzzzzzzz.0123456789ABCDEFGHIJKLMNOPQRSTUV', 'Bearer'),
        403,
        'PERMISSION_DENIED',
      ],
      ['the right key with the Basic scheme', { Authorization: `Basic ${KEY}` }, 403, 'PERMISSION_DENIED'],
      ['the right key with no scheme', { Authorization: KEY }, 403, 'PERMISSION_DENIED'],
      ['Api-Key <key>', apiKeyHeader(KEY), 200, undefined],
      ['Bearer <key>', apiKeyHeader(KEY, 'Bearer'), 200, undefined],
    ])('%s → %i', async (_, headers, status, code) => {
      const res = await httpGet(sim.url, headers);
      expect(res.status).toBe(status);
      if (code === undefined) {
        expect(res.headers['content-type']).toBe(METRICS_CONTENT_TYPE);
        return;
      }
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ code });
      expect(res.body.toString('utf8')).not.toContain(KEY.split('.')[1]);
    });

    it('asks for an Api-Key on 401', async () => {
      const res = await httpGet(sim.url);
      expect(res.headers['www-authenticate']).toBe('Api-Key');
    });
  });

  describe('routing', () => {
    const base = (): string => sim.url.replace(/\/metrics$/, '');
    it.each([
      ['/', 404],
      ['/metrics/', 404],
      ['/api/metrics', 404],
      ['/metrics?format=prometheus', 200],
    ])('GET %s → %i', async (path, status) => {
      expect((await httpGet(`${base()}${path}`, apiKeyHeader(KEY))).status).toBe(status);
    });

    it.each(['POST', 'PUT', 'DELETE', 'HEAD'])('%s /metrics → 405, Allow: GET', async (method) => {
      const res = await httpGet(sim.url, apiKeyHeader(KEY), method);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET');
    });
  });

  it('serves the pure render of its fleet at its clock, without sample timestamps', async () => {
    const res = await httpGet(sim.url, apiKeyHeader(KEY));
    const text = res.body.toString('utf8');
    expect(text).toBe(renderBasetenMetrics(sim.fleet, T_EVEN_MINUTE));
    expect(res.headers['content-length']).toBe(String(res.body.length));
    // `name{labels} value` and nothing after it: two fields once the label set is removed.
    const sampleLines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const withTimestamps = sampleLines.filter((line) => line.replace(/\{.*\}/, '').split(' ').length !== 2);
    expect(sampleLines.length).toBeGreaterThan(1_000);
    expect(withTimestamps).toEqual([]);
  });
});

describe('requests log', () => {
  it('records every request with its time, status and whether it authenticated', async () => {
    let clock = T_EVEN_MINUTE;
    const sim = await startSimulator({ apiKey: KEY, now: () => clock });
    try {
      await httpGet(sim.url);
      clock += 1_000;
      await httpGet(sim.url, apiKeyHeader('abcdefgh.nope'));
      clock += 1_000;
      await httpGet(sim.url, apiKeyHeader(KEY));
      clock += 1_000;
      await httpGet(sim.url.replace(/metrics$/, 'other'), apiKeyHeader(KEY));
      expect(sim.requests).toEqual([
        { atMs: T_EVEN_MINUTE, status: 401, authorized: false },
        { atMs: T_EVEN_MINUTE + 1_000, status: 403, authorized: false },
        { atMs: T_EVEN_MINUTE + 2_000, status: 200, authorized: true },
        { atMs: T_EVEN_MINUTE + 3_000, status: 404, authorized: true },
      ]);
    } finally {
      await sim.close();
    }
  });
});

describe('startSimulator options', () => {
  it.each<[string, SimulatorOptions, string]>([
    [
      'a key without a dot',
      { apiKey: 'nodot' },
      'demo: invalid simulator options: apiKey must look like <prefix>.<secret>',
    ],
    [
      'a port out of range',
      { apiKey: KEY, port: 70_000 },
      'demo: invalid simulator options: port must be an integer in 0..65535 (got 70000)',
    ],
    [
      'every problem at once',
      { apiKey: 'bad key', port: -1, retryAfterSeconds: 1.5 },
      'demo: invalid simulator options: apiKey must look like ' +
        '<prefix>.<secret>; port must be an integer in 0..65535 (got -1); ' +
        'retryAfterSeconds must be a non-negative integer (got 1.5)',
    ],
    [
      'a zero rate limit',
      { apiKey: KEY, rateLimitPerMinute: 0 },
      'demo: rateLimitPerMinute must be a positive integer (got 0)',
    ],
    [
      'a fractional fleet',
      { apiKey: KEY, deployments: 2.5 },
      'demo: deployments must be a non-negative integer (got 2.5)',
    ],
  ])('rejects %s', async (_, opts, message) => {
    await expect(startSimulator(opts)).rejects.toThrow(message);
  });

  it('never puts the key in an error message', async () => {
    const secretish = 'my secret key';
    const error = await startSimulator({ apiKey: secretish }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain(secretish);
  });

  it('closes promptly even with a keep-alive client connected', async () => {
    const sim = await startSimulator({ apiKey: KEY });
    await httpGet(sim.url, { ...apiKeyHeader(KEY), Connection: 'keep-alive' });
    await sim.close();
    await expect(httpGet(sim.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});

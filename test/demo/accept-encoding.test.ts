import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../src/demo/accept-encoding.js';
import { startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { apiKeyHeader, httpGet } from './http-get.js';
import { KEY, T_EVEN_MINUTE } from './fixtures.js';
import { atLeast } from '../helpers/cases.js';

const CASES: Array<[string | undefined, boolean]> = [
  [undefined, false],
  ['', false],
  ['gzip', true],
  ['GZIP', true],
  ['x-gzip', true],
  ['gzip, deflate, br', true],
  ['br;q=1.0, gzip;q=0.8', true],
  ['gzip;q=0', false],
  ['gzip; q=0.000', false],
  ['identity', false],
  ['deflate, br', false],
  ['*', true],
  ['*;q=0', false],
  ['*, gzip;q=0', false],
  ['gzip;q=0, *', false],
  ['identity;q=1, *;q=0.1', true],
];

describe('acceptsGzip', () => {
  it.each(CASES)('Accept-Encoding %j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('gzip over HTTP', () => {
  let sim: RunningSimulator;
  let plain: Buffer;
  beforeAll(async () => {
    sim = await startSimulator({ apiKey: KEY, rateLimitPerMinute: 1_000, now: () => T_EVEN_MINUTE });
    plain = (await httpGet(sim.url, apiKeyHeader(KEY))).body;
  });
  afterAll(() => sim.close());

  it.each(
    atLeast(
      15,
      CASES.filter(([header]) => header !== undefined),
      'Accept-Encoding headers',
    ),
  )('Accept-Encoding %j → gzip %s', async (header, gzipped) => {
    const res = await httpGet(sim.url, { ...apiKeyHeader(KEY), 'Accept-Encoding': header as string });
    expect(res.status).toBe(200);
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-length']).toBe(String(res.body.length));
    if (gzipped) {
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(res.body).equals(plain)).toBe(true);
      expect(res.body.length).toBeLessThan(plain.length / 5);
    } else {
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.equals(plain)).toBe(true);
    }
  });
});

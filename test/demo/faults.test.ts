/**
 * Each fault as a client meets it on a real loopback connection, then a healthy 200 once it is cleared.
 * One simulator for the file, four deployments (about 220 kB per body), a fixed clock so bodies compare.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFleet,
  FAULT_KINDS,
  FAULT_STATUSES,
  METRICS_CONTENT_TYPE,
  renderBasetenMetrics,
  startSimulator,
  type Fault,
  type RunningSimulator,
  type SimulatorRequest,
} from '../../src/demo/index.js';
import { MAINTENANCE_PAGE } from '../../src/demo/fault-responses.js';
import { KEY, T_EVEN_MINUTE } from './fixtures.js';
import { apiKeyHeader } from './http-get.js';
import { parseSampleLine } from './parse-text.js';
import { observe, rawGet, type Observation } from './wire-client.js';

const AUTH = apiKeyHeader(KEY);
const DEPLOYMENTS = 4;

let sim: RunningSimulator;
let healthy: string;
beforeAll(async () => {
  sim = await startSimulator({
    apiKey: KEY,
    deployments: DEPLOYMENTS,
    rateLimitPerMinute: 1_000_000,
    now: () => T_EVEN_MINUTE,
  });
  healthy = renderBasetenMetrics(sim.fleet, T_EVEN_MINUTE);
});
afterAll(() => sim.close());

const samples = (text: string): string[] => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
const isValidSample = (line: string): boolean => {
  try {
    parseSampleLine(line);
    return true;
  } catch {
    return false;
  }
};
const splitLines = (body: Buffer): Buffer[] => {
  const lines: Buffer[] = [];
  for (let start = 0, end = body.indexOf(10); end >= 0; start = end + 1, end = body.indexOf(10, start))
    lines.push(body.subarray(start, end));
  return lines;
};
const get = (): Promise<Observation> => observe(sim.url, { headers: AUTH });

const STATUS_CODES: Record<(typeof FAULT_STATUSES)[number], string> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  429: 'RESOURCE_EXHAUSTED',
};

interface FaultCase {
  name: string;
  fault: Fault;
  /**
   * What `requests` holds for the first request `check` made; null: nothing (it never reached the server). Read after
   * beforeAll.
   */
  record: Partial<SimulatorRequest> | null;
  check: () => Promise<void>;
}

const statusCase = (status: (typeof FAULT_STATUSES)[number], retryAfter?: string): FaultCase => ({
  name: `status ${status}${retryAfter === undefined ? '' : `, Retry-After: ${retryAfter}`}`,
  fault: { kind: 'status', status, retryAfter },
  record: { status, fault: 'status', authorized: true },
  check: async () => {
    const res = await get();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ code: STATUS_CODES[status], message: expect.any(String) });
    expect(res.headers['retry-after']).toBe(retryAfter);
  },
});

const CASES: FaultCase[] = [
  ...FAULT_STATUSES.map((status) => statusCase(status)),
  statusCase(429, '120'),
  statusCase(503, 'Wed, 21 Oct 2015 07:28:00 GMT'),
  {
    name: 'refuse',
    fault: { kind: 'refuse' },
    record: null,
    check: async () => expect((await get()).error?.code).toBe('ECONNREFUSED'),
  },
  {
    name: 'reset-mid-body',
    fault: { kind: 'reset-mid-body' },
    get record() {
      return { status: 200, fault: 'reset-mid-body' as const, bodyBytes: Math.floor(Buffer.byteLength(healthy) / 2) };
    },
    check: async () => {
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.error?.code).toBe('ECONNRESET');
      expect(res.bytes).toBeGreaterThan(0);
      expect(res.bytes).toBeLessThan(Number(res.headers['content-length']));
      expect(healthy.startsWith(res.body.toString('utf8'))).toBe(true);
      // A bare socket tells a reset from a clean close: an error, not an end of stream.
      expect((await rawGet(sim.url, AUTH)).error?.code).toBe('ECONNRESET');
    },
  },
  {
    name: 'hang',
    fault: { kind: 'hang' },
    record: { status: 0, fault: 'hang' },
    check: async () => {
      const res = await observe(sim.url, { headers: AUTH, timeoutMs: 300 });
      expect(res.status).toBe(0);
      expect(res.error?.code).toBe('CLIENT_TIMEOUT');
      await sim.settled(); // the server lets go of the connection once the client has given up
    },
  },
  {
    name: 'trickle',
    fault: { kind: 'trickle', bytesPerSecond: 400_000 },
    get record() {
      return { status: 200, fault: 'trickle' as const, bodyBytes: Buffer.byteLength(healthy) };
    },
    check: async () => {
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.body.toString('utf8')).toBe(healthy);
      expect(res.pieces).toBeGreaterThanOrEqual(5);
      // The last byte is not due before size / rate.
      expect(res.elapsedMs).toBeGreaterThanOrEqual((res.bytes / 400_000) * 1_000 * 0.95);
    },
  },
  {
    name: 'endless',
    fault: { kind: 'endless' },
    record: { status: 200, fault: 'endless' },
    check: async () => {
      const res = await observe(sim.url, { headers: AUTH, abortAfterBytes: 8 * 2 ** 20, keepBytes: 2 ** 16 });
      expect(res.status).toBe(200);
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.aborted).toBe(true);
      expect(res.bytes).toBeGreaterThan(8 * 2 ** 20);
      const lines = res.body.toString('utf8').split('\n').slice(2, -1);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines.filter((line) => !isValidSample(line))).toEqual([]);
      await sim.settled(); // the writer stopped when the client left
      const written = sim.requests.at(-1)?.bodyBytes ?? 0;
      await new Promise((resolve) => setImmediate(resolve));
      expect(sim.requests.at(-1)?.bodyBytes).toBe(written);
      // Backpressure: no more than the socket buffers hold beyond what the client read.
      expect(written - res.bytes).toBeLessThan(16 * 2 ** 20);
    },
  },
  {
    name: 'empty',
    fault: { kind: 'empty' },
    record: { status: 200, fault: 'empty', bodyBytes: 0 },
    check: async () => {
      const res = await get();
      expect([res.status, res.headers['content-length'], res.headers['content-type'], res.bytes]).toEqual([
        200,
        '0',
        METRICS_CONTENT_TYPE,
        0,
      ]);
    },
  },
  {
    name: 'html',
    fault: { kind: 'html' },
    record: { status: 200, fault: 'html', bodyBytes: Buffer.byteLength(MAINTENANCE_PAGE) },
    check: async () => {
      const res = await get();
      expect([res.status, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      expect(res.body.toString('utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*maintenance/);
    },
  },
  {
    name: 'truncated-gzip',
    fault: { kind: 'truncated-gzip' },
    record: { status: 200, fault: 'truncated-gzip' },
    check: async () => {
      const res = await get();
      expect([res.status, res.headers['content-encoding']]).toEqual([200, 'gzip']);
      expect(res.headers['content-length']).toBe(String(res.bytes));
      expect(gzipSync(healthy).subarray(0, res.bytes).equals(res.body)).toBe(true);
      expect(() => gunzipSync(res.body)).toThrow(/unexpected end of file/);
    },
  },
  {
    name: 'malformed-lines, ratio 0.25',
    fault: { kind: 'malformed-lines', ratio: 0.25 },
    record: { status: 200, fault: 'malformed-lines' },
    check: async () => {
      const text = (await get()).body.toString('utf8');
      const lines = samples(text);
      expect(lines).toHaveLength(samples(healthy).length);
      expect(Math.abs(lines.filter((line) => !isValidSample(line)).length - 0.25 * lines.length)).toBeLessThanOrEqual(
        1,
      );
      expect((await get()).body.toString('utf8')).toBe(text); // deterministic
    },
  },
  {
    name: 'invalid-utf8',
    fault: { kind: 'invalid-utf8' },
    record: { status: 200, fault: 'invalid-utf8' },
    check: async () => {
      const { body } = await get();
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(body)).toThrow(TypeError);
      // Only label values are damaged: a changed line is its healthy self with bytes inside a quoted value.
      const lines = splitLines(body);
      const healthyLines = splitLines(Buffer.from(healthy, 'utf8'));
      expect(lines).toHaveLength(healthyLines.length);
      const changed = lines.flatMap((line, i) =>
        line.equals(healthyLines[i] as Buffer) ? [] : [[line, healthyLines[i] as Buffer] as const],
      );
      expect(changed.length).toBeGreaterThan(10);
      for (const [line, was] of changed) {
        const at = was.indexOf('="') + 2;
        expect(line.subarray(0, at).equals(was.subarray(0, at))).toBe(true);
        expect(line.subarray(line.length - (was.length - at)).equals(was.subarray(at))).toBe(true);
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(line)).toThrow(TypeError);
      }
    },
  },
  {
    name: 'duplicate-series',
    fault: { kind: 'duplicate-series' },
    record: { status: 200, fault: 'duplicate-series' },
    check: async () => {
      const lines = (await get()).body.toString('utf8').split('\n');
      const repeats = lines.filter((line, i) => line !== '' && line === lines[i - 1]);
      expect(repeats.length).toBeGreaterThan(10);
      expect(lines.filter((line, i) => line !== lines[i - 1] || line === '').join('\n')).toBe(healthy);
    },
  },
  {
    name: 'scale, factor 5',
    fault: { kind: 'scale', factor: 5 },
    record: { status: 200, fault: 'scale' },
    check: async () => {
      const text = (await get()).body.toString('utf8');
      const scaled = buildFleet({
        deployments: 5 * DEPLOYMENTS,
        seed: sim.fleet.seed,
        createdAtMs: sim.fleet.createdAtMs,
      });
      expect(text).toBe(renderBasetenMetrics(scaled, T_EVEN_MINUTE));
      expect(new Set(samples(text).map((line) => /deployment_id="(\w+)"/.exec(line)?.[1])).size).toBe(5 * DEPLOYMENTS);
      const ratio = samples(text).length / samples(healthy).length;
      expect(ratio).toBeGreaterThan(5 * 0.6);
      expect(ratio).toBeLessThan(5 * 1.4);
    },
  },
  {
    name: 'no-help-type',
    fault: { kind: 'no-help-type' },
    record: { status: 200, fault: 'no-help-type' },
    check: async () => {
      const text = (await get()).body.toString('utf8');
      expect(text.split('\n').filter((line) => line.startsWith('#'))).toEqual([]);
      expect(text).toBe(`${samples(healthy).join('\n')}\n`);
    },
  },
];

describe('fault modes on the wire', () => {
  it('has a case for every fault kind', () => {
    expect(new Set(CASES.map((c) => c.fault.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it.each(CASES)('$name', async ({ fault, record, check }) => {
    const before = sim.requests.length;
    await sim.setFault(fault);
    try {
      await check();
      if (record === null) expect(sim.requests).toHaveLength(before);
      else expect(sim.requests[before]).toMatchObject({ atMs: T_EVEN_MINUTE, ...record });
    } finally {
      await sim.setFault(undefined);
    }
    const res = await get();
    expect([res.status, res.error]).toEqual([200, undefined]);
    expect(res.body.toString('utf8')).toBe(healthy);
  });
});

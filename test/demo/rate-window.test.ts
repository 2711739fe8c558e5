import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/demo/index.js';
import { RollingRateWindow } from '../../src/demo/rate-window.js';
import { apiKeyHeader, httpGet } from './http-get.js';
import { KEY, T_EVEN_MINUTE as T0 } from './fixtures.js';

/** Sends one request per step at `T0 + offset` and returns the statuses. */
async function statusesAt(
  offsets: number[],
  opts: { retryAfterSeconds?: number; headers?: Record<string, string> } = {},
) {
  let clock = T0;
  const sim = await startSimulator({ apiKey: KEY, now: () => clock, retryAfterSeconds: opts.retryAfterSeconds });
  try {
    const statuses: number[] = [];
    const retryAfter: Array<string | undefined> = [];
    for (const offset of offsets) {
      clock = T0 + offset;
      const res = await httpGet(sim.url, opts.headers ?? apiKeyHeader(KEY));
      statuses.push(res.status);
      retryAfter.push(res.headers['retry-after'] as string | undefined);
    }
    return { statuses, retryAfter, requests: sim.requests };
  } finally {
    await sim.close();
  }
}

describe('6 requests per minute per organization (rolling window)', () => {
  it('admits 6 in a minute, refuses the 7th with 429, admits again once the window slides', async () => {
    const offsets = [0, 1_000, 2_000, 3_000, 4_000, 5_000, 10_000, 59_999, 60_000, 60_001, 61_000, 125_000];
    const { statuses, retryAfter, requests } = await statusesAt(offsets);
    // 60_000: the request at 0 left the window; 60_001: the one at 1_000 has not; 61_000: it has.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 200, 429, 200, 200]);
    expect(retryAfter.every((value) => value === undefined)).toBe(true);
    expect(requests).toEqual(
      offsets.map((offset, i) => ({ atMs: T0 + offset, status: statuses[i], authorized: true })),
    );
  });

  it('sends Retry-After only when asked to', async () => {
    const { statuses, retryAfter } = await statusesAt([0, 0, 0, 0, 0, 0, 0], { retryAfterSeconds: 30 });
    expect(statuses.at(-1)).toBe(429);
    expect(retryAfter.at(-1)).toBe('30');
    expect(retryAfter.slice(0, -1).every((value) => value === undefined)).toBe(true);
  });

  it('does not count requests refused with 429', async () => {
    // Six admitted at 0, twenty refused at 30 s: at 60 s the six have left the window and nothing else counts.
    const { statuses } = await statusesAt([...Array<number>(6).fill(0), ...Array<number>(20).fill(30_000), 60_000]);
    expect(statuses.slice(6, 26).every((s) => s === 429)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
  });

  it('does not count requests that failed authentication', async () => {
    let clock = T0;
    const sim = await startSimulator({ apiKey: KEY, now: () => clock });
    try {
      for (let i = 0; i < 10; i++) expect((await httpGet(sim.url, apiKeyHeader('abcdefgh.wrong'))).status).toBe(403);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        clock += 1;
        statuses.push((await httpGet(sim.url, apiKeyHeader(KEY))).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    } finally {
      await sim.close();
    }
  });
});

describe('RollingRateWindow', () => {
  it.each<[string, number, number[], boolean[]]>([
    ['limit 1, slot frees exactly 60 s later', 1, [0, 59_999, 60_000], [true, false, true]],
    [
      'limit 2, the oldest leaves first',
      2,
      [0, 30_000, 59_000, 60_000, 89_999, 90_000],
      [true, true, false, true, false, true],
    ],
    [
      'limit 3, a burst then a full window',
      3,
      [0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000],
      [true, true, true, false, true, true, true, false],
    ],
  ])('%s', (_, limit, times, admitted) => {
    const window = new RollingRateWindow(limit);
    expect(times.map((t) => window.tryAdmit(t).admitted)).toEqual(admitted);
  });

  it('says how long until a slot frees', () => {
    const window = new RollingRateWindow(1);
    window.tryAdmit(1_000);
    expect(window.tryAdmit(21_000)).toEqual({ admitted: false, retryInMs: 40_000 });
  });
});

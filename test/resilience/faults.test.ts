/**
 * Fault injection: the simulator misbehaves in each way Baseten (or what stands in front of it) could, over
 * real loopback HTTP. For each fault the bridge must stay up, keep serving the last good data until
 * max_staleness and not after, say what is wrong in upstream_up and the reason counter, stay inside the
 * rate budget, never show the key, and recover on the first good answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/demo/index.js';
import { leakFinder } from '../helpers/leaks.js';
import { maxRequestsPerMinute, startHarness, type Harness } from './bridge-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const served = async (base: string) =>
  (await (await fetch(`${base}/metrics`)).text()).includes('baseten_inference_requests_total{');

type FailingCase = [name: string, fault: Fault, reason: string];

// Faults that make every attempt fail while they last.
const FAILING: FailingCase[] = [
  ['401', { kind: 'status', status: 401 }, 'auth'],
  ['403', { kind: 'status', status: 403 }, 'auth'],
  ['404', { kind: 'status', status: 404 }, 'http_4xx'],
  ['429 without Retry-After', { kind: 'status', status: 429 }, 'rate_limited'],
  ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '45' }, 'rate_limited'],
  ['500', { kind: 'status', status: 500 }, 'http_5xx'],
  ['503', { kind: 'status', status: 503 }, 'http_5xx'],
  ['connection refused', { kind: 'refuse' }, 'network'],
  ['reset mid-body', { kind: 'reset-mid-body' }, 'network'],
  ['a server that never answers', { kind: 'hang' }, 'timeout'],
  ['a slow trickle body', { kind: 'trickle', bytesPerSecond: 2_000 }, 'timeout'],
  ['an endless body', { kind: 'endless' }, 'body_too_large'],
  ['an empty 200', { kind: 'empty' }, 'parse'],
  ['an HTML 200', { kind: 'html' }, 'parse'],
  ['a truncated gzip body', { kind: 'truncated-gzip' }, 'parse'],
  ['malformed lines above the ratio', { kind: 'malformed-lines', ratio: 0.2 }, 'parse'],
  ['invalid UTF-8', { kind: 'invalid-utf8' }, 'parse'],
];

describe('faults that fail the fetch', () => {
  it.each(FAILING)('%s', async (_name, fault, reason) => {
    h = await startHarness();
    await h.runUntil((o) => o.ok, 1);
    expect(await served(h.base)).toBe(true);

    await h.simulator.setFault(fault);
    const during = await h.runFor(60_000);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((o) => !o.ok)).toBe(true);
    expect(await h.metric('baseten_bridge_upstream_up')).toBe(0);
    expect(await h.metric('baseten_bridge_fetch_failures_total', { reason })).toBeGreaterThan(0);
    // Within max_staleness (2m) the last good data is still served, and the bridge is ready.
    expect(await served(h.base)).toBe(true);
    expect((await fetch(`${h.base}/-/ready`)).status).toBe(200);
    // The reason is logged once, not once per attempt.
    expect(h.logs.filter((l) => l.includes('msg="fetch failed')).length).toBe(1);

    // Past max_staleness the relayed series are gone and /-/ready fails; the bridge's own metrics stay.
    await h.runFor(61_000);
    const stale = await (await fetch(`${h.base}/metrics`)).text();
    expect(stale).not.toContain('baseten_inference_requests_total{');
    expect(stale).toContain('baseten_bridge_upstream_up{target="default"} 0');
    expect((await fetch(`${h.base}/-/ready`)).status).toBe(503);

    await h.simulator.setFault(undefined);
    await h.runUntil((o) => o.ok, 10);
    expect(await served(h.base)).toBe(true);
    expect(await h.metric('baseten_bridge_upstream_up')).toBe(1);
    expect(h.logs.some((l) => l.includes('msg="fetched Baseten metrics again"'))).toBe(true);

    expect(maxRequestsPerMinute(h.simulator.requests.map((r) => r.atMs))).toBeLessThanOrEqual(5);
    const responses = await Promise.all(
      ['/metrics', '/-/ready', '/'].map(async (p) => (await fetch(`${h!.base}${p}`)).text()),
    );
    expect(h.stateFiles()).toContain('"requests":[');
    expect(leakFinder(h.key)({ logs: h.logs.join(''), responses: responses.join(''), state: h.stateFiles() })).toEqual(
      [],
    );
  });
});

describe('faults the bridge absorbs', () => {
  it('malformed lines below the ratio: skipped, counted, the rest served', async () => {
    h = await startHarness({ max_invalid_line_ratio: 0.05 });
    await h.simulator.setFault({ kind: 'malformed-lines', ratio: 0.01 });
    const [outcome] = await h.runUntil(() => true, 1);
    expect(outcome?.ok).toBe(true);
    expect(await h.metric('baseten_bridge_invalid_lines_total', { kind: 'sample' })).toBeGreaterThan(0);
    expect(
      h.logs.some((l) => /msg="skipped invalid lines in the upstream body" count=\d+ first="line \d+: /.test(l)),
    ).toBe(true);
    expect(await served(h.base)).toBe(true);
  });

  it('duplicate series: the first kept, the rest counted', async () => {
    h = await startHarness();
    await h.simulator.setFault({ kind: 'duplicate-series' });
    await h.runUntil((o) => o.ok, 1);
    expect(await h.metric('baseten_bridge_series_dropped_total', { reason: 'duplicate' })).toBeGreaterThan(0);
    const text = await (await fetch(`${h.base}/metrics`)).text();
    const lines = text.split('\n').filter((l) => l.startsWith('baseten_') && !l.startsWith('baseten_bridge_'));
    const series = lines.map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(new Set(series).size).toBe(series.length);
  });

  it('10x the usual series: served whole', async () => {
    h = await startHarness();
    await h.runUntil((o) => o.ok, 1);
    const usual = (await h.metric('baseten_bridge_series_after_relabel'))!;
    await h.simulator.setFault({ kind: 'scale', factor: 10 });
    await h.runUntil((o) => o.ok, 1);
    expect(await h.metric('baseten_bridge_series_after_relabel')).toBeGreaterThan(8 * usual);
  });

  it('10x the usual series over sample_limit: the cycle fails and the last good data stays', async () => {
    h = await startHarness({ sample_limit: 5_000 });
    await h.runUntil((o) => o.ok, 1);
    await h.simulator.setFault({ kind: 'scale', factor: 10 });
    const [outcome] = await h.runUntil(() => true, 1);
    expect(outcome).toMatchObject({ ok: false, reason: 'sample_limit' });
    expect(await served(h.base)).toBe(true);
  });

  it('no HELP/TYPE lines: served as untyped series', async () => {
    h = await startHarness();
    await h.simulator.setFault({ kind: 'no-help-type' });
    await h.runUntil((o) => o.ok, 1);
    const text = await (await fetch(`${h.base}/metrics`)).text();
    expect(text).toContain('# TYPE baseten_end_to_end_response_time_seconds_bucket untyped');
  });
});

describe('rate budget and backoff', () => {
  it('429 with Retry-After: the next attempt waits as told', async () => {
    h = await startHarness();
    await h.simulator.setFault({ kind: 'status', status: 429, retryAfter: '90' });
    const [first] = await h.runUntil(() => true, 1);
    expect(first!.nextDueMs - h.clock.now).toBe(90_000);
  });

  it('5xx: one quick retry inside the interval, then backoff', async () => {
    h = await startHarness();
    await h.simulator.setFault({ kind: 'status', status: 503 });
    let attempts = 0;
    await h.runUntil(() => ++attempts === 3, 3);
    const times = h.simulator.requests.map((r) => r.atMs);
    expect(times[1]! - times[0]!).toBe(3_750);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(15_000);
  });

  it('401: one attempt per interval, and the key prefix is named in the log', async () => {
    h = await startHarness();
    await h.simulator.setFault({ kind: 'status', status: 401 });
    await h.runFor(60_000);
    // One per 15 s interval: at 0, 15, 30, 45 and 60 s. Retrying until the budget is spent would also make
    // about 5 attempts in the minute, but bunched at the start, so the gaps are what tell the two apart.
    const times = h.simulator.requests.map((r) => r.atMs);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([15_000, 15_000, 15_000, 15_000]);
    expect(h.logs.some((l) => l.includes(`key=${h!.key.split('.')[0]}.***`))).toBe(true);
  });
});

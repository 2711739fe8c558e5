/**
 * Proof against real receivers started here on loopback ports: Prometheus 2.42
 * (--web.enable-remote-write-receiver) and VictoriaMetrics. What they store must equal what the bridge
 * serves (same label sets, same values, NaN and ±Inf included); a receiver that is down for two pushes
 * gets both when it is back; Prometheus's 400 (an out-of-order sample) is not retried and is counted.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFleet, renderBasetenMetrics } from '../../src/demo/index.js';
import { renderText } from '../../src/exposition/index.js';
import { parseExposition } from '../helpers/parse-exposition.js';
import { pollUntil } from '../helpers/poll.js';
import { requireBinary } from '../helpers/require-binary.js';
import { expectedSamples, storedAt } from './expected.js';
import { buildWriter, P, type WriterHarness } from './harness.js';
import { startPrometheusReceiver, startVictoriaMetrics, type Receiver } from './receivers.js';

/** As the bridge serves it: parsed and rendered by our own renderer. */
function served(text: string): string {
  return renderText(parseExposition(text, 'text').families);
}

const fixture = served(
  readFileSync(resolve(__dirname, '../testdata/remotewrite/histogram-escaped-special-values.prom'), 'utf8'),
);
const CREATED_AT = Date.UTC(2026, 0, 1);
const demo = served(
  renderBasetenMetrics(buildFleet({ deployments: 6, seed: 7, createdAtMs: CREATED_AT }), CREATED_AT + 3_600_000),
);

const receivers = [
  { kind: 'prometheus', pkg: 'prometheus', start: startPrometheusReceiver },
  { kind: 'victoria-metrics', pkg: 'victoria-metrics', start: startVictoriaMetrics },
] as const;

/** Whole seconds, distinct per push, in the recent past (both receivers accept it, in order). */
let clock = Math.floor(Date.now() / 1000) * 1000 - 600_000;
const nextTimestamp = () => (clock += 1_000);

function sameValues(r: Receiver, actual: Map<string, number>, sent: Map<string, number>): void {
  const expected = r.keeps(sent);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, value] of expected)
    expect(r.sameValue(actual.get(key)!, value), `${key}: stored ${actual.get(key)}, sent ${value}`).toBe(true);
}

describe.each(receivers)('remote_write into a real $kind', ({ kind, pkg, start }) => {
  const binary = requireBinary(kind, pkg);
  let receiver: Receiver | undefined;
  let harness: WriterHarness | undefined;

  beforeAll(async () => {
    if (binary) receiver = await start(binary);
  });
  afterEach(async () => {
    await harness?.writer.close(1_000);
    harness = undefined;
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  const writerFor = (r: Receiver, queue: Record<string, unknown> = {}) =>
    (harness = buildWriter([
      {
        url: r.writeUrl,
        name: kind,
        queue_config: { max_samples_per_send: 400, batch_send_deadline: '50ms', max_backoff: '300ms', ...queue },
      },
    ]));

  it.skipIf(!binary).each([
    ['histograms, escaped labels, NaN and ±Inf', fixture],
    ['a simulated Baseten organization', demo],
  ])('stores %s with the same label sets and values', async (_name, text) => {
    const r = receiver!;
    const h = writerFor(r);
    const expected = expectedSamples(text);
    const ts = nextTimestamp();
    h.writer.push(Buffer.from(text), ts);
    await pollUntil('every sample to be sent', async () =>
      (await h.metric(`${P}samples_sent_total`, { remote: kind })) === expected.size ? true : undefined,
    );
    const stored = await pollUntil('the receiver to return every series', async () => {
      const got = storedAt(await r.samples(ts, ts), ts);
      return got.size >= r.keeps(expected).size ? got : undefined;
    });
    sameValues(r, stored, expected);
    expect(await h.metric(`${P}samples_pending`, { remote: kind })).toBe(0);
    expect(await h.metric(`${P}samples_dropped_total`, { remote: kind, reason: 'invalid' })).toBe(0);
    expect(await h.metric(`${P}last_success_timestamp_seconds`, { remote: kind })).toBeGreaterThan(0);
  });

  it.skipIf(!binary)('buffers two pushes while the receiver is down and delivers them when it is back', async () => {
    const r = receiver!;
    const h = writerFor(r);
    const expected = expectedSamples(fixture);
    await r.stop(true);
    const first = nextTimestamp();
    const second = nextTimestamp();
    h.writer.push(Buffer.from(fixture), first);
    h.writer.push(Buffer.from(fixture), second);
    await pollUntil('a retry of the first batch', async () =>
      (await h.metric(`${P}samples_retried_total`, { remote: kind })) > 0 ? true : undefined,
    );
    expect(h.lines.filter((l) => l.includes('send failed, retrying'))).toHaveLength(1);
    await pollUntil('both pushes to be queued', () =>
      h.writer.pending()[kind] === 2 * expected.size ? true : undefined,
    );
    await r.restart();
    await pollUntil('the buffered samples to be sent', async () =>
      (await h.metric(`${P}samples_sent_total`, { remote: kind })) === 2 * expected.size ? true : undefined,
    );
    const stored = await pollUntil('both pushes to be stored', async () => {
      const all = await r.samples(first, second);
      const a = storedAt(all, first);
      const b = storedAt(all, second);
      const want = r.keeps(expected).size;
      return a.size >= want && b.size >= want ? [a, b] : undefined;
    });
    sameValues(r, stored[0]!, expected);
    sameValues(r, stored[1]!, expected);
    expect(h.lines.filter((l) => l.includes('receiver accepts samples again'))).toHaveLength(1);
    expect(await h.metric(`${P}samples_dropped_total`, { remote: kind, reason: 'queue_full' })).toBe(0);
    expect(await h.metric(`${P}samples_failed_total`, { remote: kind })).toBe(0);
  });

  // Only Prometheus refuses a request (VictoriaMetrics accepts out-of-order samples).
  if (kind === 'prometheus')
    it.skipIf(!binary)(
      'does not retry the 400 Prometheus answers for out-of-order samples, and counts the drop',
      async () => {
        const r = receiver!;
        const h = writerFor(r, { max_samples_per_send: 100_000 });
        const expected = expectedSamples(fixture);
        const later = nextTimestamp();
        h.writer.push(Buffer.from(fixture), later);
        await pollUntil('the first push to be sent', async () =>
          (await h.metric(`${P}samples_sent_total`, { remote: kind })) === expected.size ? true : undefined,
        );
        h.writer.push(Buffer.from(fixture), later - 60_000);
        await pollUntil('the rejection to be counted', async () =>
          (await h.metric(`${P}samples_failed_total`, { remote: kind })) === expected.size ? true : undefined,
        );
        expect(await h.metric(`${P}samples_dropped_total`, { remote: kind, reason: 'rejected' })).toBe(expected.size);
        expect(await h.metric(`${P}samples_retried_total`, { remote: kind })).toBe(0);
        expect(await h.metric(`${P}requests_total`, { remote: kind, code: '400' })).toBe(1);
        expect(await h.metric(`${P}samples_pending`, { remote: kind })).toBe(0);
        expect(h.lines.filter((l) => l.includes('refused a batch'))).toHaveLength(1);
      },
    );
});

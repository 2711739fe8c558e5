/**
 * Queue, batching, retry, drop and shutdown semantics of the RemoteWriter against a scripted local receiver
 * (fake-receiver.ts). Synchronisation is by polling with a deadline, never by sleeping.
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../src/remotewrite/index.js';
import { VERSION } from '../../src/version.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { gauges, startFakeReceiver, type FakeReceiver } from './fake-receiver.js';
import { buildWriter, P, type WriterHarness } from './harness.js';

const secretsDir = resolve(__dirname, '../testdata/remotewrite');
let rx: FakeReceiver;
let h: WriterHarness | undefined;

beforeEach(async () => {
  rx = await startFakeReceiver();
});
afterEach(async () => {
  await h?.writer.close(500);
  h = undefined;
  await rx.close();
});

function writer(extra: Record<string, unknown> = {}, queue: Record<string, unknown> = {}): WriterHarness {
  h = buildWriter(
    [
      {
        url: rx.url,
        name: 'rx',
        queue_config: { batch_send_deadline: '50ms', min_backoff: '10ms', max_backoff: '40ms', ...queue },
        ...extra,
      },
    ],
    secretsDir,
  );
  return h;
}

const counter = (name: string, labels: Record<string, string> = {}) =>
  h!.metric(`${P}${name}`, { remote: 'rx', ...labels });
const until = (what: string, check: () => Promise<boolean> | boolean) =>
  pollUntil(what, async () => ((await check()) ? true : undefined), 10_000, 20);
/** The receiver holds a request before the writer has read the answer and counted it: wait for the count. */
const settled = () => until('the writer to count the answer', async () => (await counter('samples_pending')) === 0);

describe('RemoteWriter against a scripted receiver', () => {
  it('sends the remote-write 1.0 headers, the static headers and basic auth from password_file', async () => {
    writer({
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      basic_auth: { username: 'user', password_file: 'secrets/password' },
    });
    h!.writer.push(gauges(3), 1_700_000_000_000);
    await until('one request', () => rx.received.length === 1);
    const { headers, series } = rx.received[0]!;
    expect(headers['content-encoding']).toBe('snappy');
    expect(headers['content-type']).toBe('application/x-protobuf');
    expect(headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(headers['user-agent']).toBe(`baseten-metrics-bridge/${VERSION}`);
    expect(USER_AGENT).toBe(`baseten-metrics-bridge/${VERSION}`);
    expect(headers['x-scope-orgid']).toBe('tenant-1');
    expect(headers.authorization).toBe(`Basic ${Buffer.from('user:hunter2-password').toString('base64')}`);
    expect(series).toEqual(
      [0, 1, 2].map((i) => ({
        labels: [
          ['__name__', 'test_gauge'],
          ['i', String(i)],
        ],
        samples: [{ value: i, timestampMs: 1_700_000_000_000 }],
      })),
    );
  });

  it(
    'a stamped snapshot: each line at its timestamp, departed series (no ' +
      'timestamp) not pushed, and the same text not pushed twice',
    async () => {
      writer();
      const text = Buffer.from('a{i="0"} 1 1700000000000\na{i="1"} 2 1600000000000\na{i="2"} 3\n');
      h!.writer.push(text, 1_700_000_000_000, true);
      await until('one request', () => rx.received.length === 1);
      await settled();
      expect(rx.received[0]!.series).toEqual([
        {
          labels: [
            ['__name__', 'a'],
            ['i', '0'],
          ],
          samples: [{ value: 1, timestampMs: 1_700_000_000_000 }],
        },
        {
          labels: [
            ['__name__', 'a'],
            ['i', '1'],
          ],
          samples: [{ value: 2, timestampMs: 1_600_000_000_000 }],
        },
      ]);
      // A body Baseten sent again within its refresh: the same snapshot text, the same samples.
      h!.writer.push(text, 1_700_000_000_000, true);
      h!.writer.push(Buffer.from('a{i="0"} 4 1700000030000\n'), 1_700_000_030_000, true);
      await until('the next push', () => rx.received.length === 2);
      await settled();
      expect(rx.received[1]!.series).toEqual([
        {
          labels: [
            ['__name__', 'a'],
            ['i', '0'],
          ],
          samples: [{ value: 4, timestampMs: 1_700_000_030_000 }],
        },
      ]);
      expect(await counter('samples_sent_total')).toBe(3);
    },
  );

  it('sends an authorization header of the configured type from credentials_file', async () => {
    writer({ authorization: { type: 'Token', credentials_file: 'secrets/token' } });
    h!.writer.push(gauges(1), 1);
    await until('one request', () => rx.received.length === 1);
    expect(rx.received[0]!.headers.authorization).toBe('Token tok-abcdef123456');
  });

  it('cuts batches of max_samples_per_send and sends the rest once batch_send_deadline has passed', async () => {
    writer({}, { max_samples_per_send: 5, batch_send_deadline: '300ms' });
    const pushedAt = Date.now();
    h!.writer.push(gauges(12), 1);
    await until('three requests', () => rx.received.length === 3);
    await settled();
    expect(rx.samplesPerRequest()).toEqual([5, 5, 2]);
    expect(rx.received[2]!.at - pushedAt).toBeGreaterThanOrEqual(250);
    expect(rx.received.flatMap((r) => r.series.map((s) => s.samples[0]!.value))).toEqual([...Array(12).keys()]);
    expect(await counter('samples_sent_total')).toBe(12);
    expect(await counter('samples_pending')).toBe(0);
    expect(await counter('last_success_timestamp_seconds')).toBeGreaterThan(pushedAt / 1000 - 1);
  });

  it.each([
    ['5xx', { status: 503 }],
    ['a dropped connection', 'reset' as const],
    ['429 without Retry-After', { status: 429 }],
  ])(
    'retries after %s with backoff, then delivers; logs one line when failing and one when recovered',
    async (_name, failure) => {
      writer();
      rx.script(failure, failure);
      h!.writer.push(gauges(4), 1);
      await until('delivery', () => rx.received.length === 1);
      await settled();
      expect(rx.attempts()).toBe(3);
      expect(await counter('samples_retried_total')).toBe(8);
      expect(await counter('samples_sent_total')).toBe(4);
      expect(await counter('samples_failed_total')).toBe(0);
      expect(h!.lines.filter((l) => l.includes('send failed, retrying with backoff'))).toHaveLength(1);
      expect(h!.lines.filter((l) => l.includes('receiver accepts samples again'))).toHaveLength(1);
    },
  );

  it('honours Retry-After on 429', async () => {
    writer();
    rx.script({ status: 429, headers: { 'Retry-After': '1' } });
    const start = Date.now();
    h!.writer.push(gauges(1), 1);
    await until('delivery', () => rx.received.length === 1);
    expect(rx.received[0]!.at - start).toBeGreaterThanOrEqual(950);
    expect(await counter('requests_total', { code: '429' })).toBe(1);
  });

  it('retries a request that outlives remote_timeout', async () => {
    writer({ remote_timeout: '200ms' });
    rx.script('hang');
    h!.writer.push(gauges(2), 1);
    await until(
      'delivery after the timeout',
      () => rx.received.length >= 1 && rx.received.some((r) => r.series.length === 2),
    );
    expect(await counter('samples_retried_total')).toBe(2);
    expect(await counter('requests_total', { code: 'none' })).toBe(1);
    expect(h!.lines.find((l) => l.includes('send failed'))).toContain('reason=timeout');
    rx.release();
  });

  it('retries while nothing listens', async () => {
    const port = await freePort();
    h = buildWriter([
      {
        url: `http://127.0.0.1:${port}/api/v1/write`,
        name: 'rx',
        queue_config: { batch_send_deadline: '10ms', min_backoff: '10ms', max_backoff: '20ms' },
      },
    ]);
    h.writer.push(gauges(2), 1);
    await until('a few retries', async () => (await counter('samples_retried_total')) >= 4);
    expect(h.lines.find((l) => l.includes('send failed'))).toContain('reason=network');
    expect(await counter('samples_pending')).toBe(2);
  });

  it('does not retry a 400: the batch is dropped and counted, and the next one is sent', async () => {
    writer({}, { max_samples_per_send: 3 });
    rx.script({ status: 400, body: 'out of order sample' });
    h!.writer.push(gauges(6), 1);
    await until('the second batch', () => rx.received.length === 1);
    await settled();
    expect(rx.attempts()).toBe(2);
    expect(await counter('samples_failed_total')).toBe(3);
    expect(await counter('samples_dropped_total', { reason: 'rejected' })).toBe(3);
    expect(await counter('samples_retried_total')).toBe(0);
    expect(await counter('samples_sent_total')).toBe(3);
    const refused = h!.lines.filter((l) => l.includes('refused a batch'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('detail="HTTP 400: out of order sample"');
  });

  it('drops the oldest samples when the queue is full, counts them and logs once', async () => {
    writer({}, { capacity: 10, max_samples_per_send: 5 });
    rx.script('hang'); // the first batch stays in flight
    const push = (n: number) => h!.writer.push(gauges(5, `push_${n}`), n);
    push(1);
    await until('the first request', () => rx.attempts() === 1);
    for (const n of [2, 3, 4]) {
      push(n);
      await until(
        `push ${n} to be queued`,
        async () => (await counter('samples_dropped_total', { reason: 'queue_full' })) === (n - 2) * 5,
      );
    }
    expect(await counter('samples_pending')).toBe(10);
    rx.release();
    await until('the rest', () => rx.received.length === 2);
    await settled();
    expect(rx.received.map((r) => r.series[0]!.labels[0]![1])).toEqual(['push_1', 'push_4']);
    expect(await counter('samples_dropped_total', { reason: 'queue_full' })).toBe(10);
    expect(h!.lines.filter((l) => l.includes('queue full'))).toHaveLength(1);
  });

  it('applies write_relabel_configs and counts what they drop', async () => {
    writer({
      write_relabel_configs: [
        { source_labels: ['i'], regex: '[02]', action: 'drop' },
        { target_label: 'cluster', replacement: 'eu-1' },
      ],
    });
    h!.writer.push(gauges(4), 7);
    await until('one request', () => rx.received.length === 1);
    await settled();
    expect(rx.received[0]!.series.map((s) => s.labels)).toEqual([
      [
        ['__name__', 'test_gauge'],
        ['cluster', 'eu-1'],
        ['i', '1'],
      ],
      [
        ['__name__', 'test_gauge'],
        ['cluster', 'eu-1'],
        ['i', '3'],
      ],
    ]);
    expect(await counter('samples_dropped_total', { reason: 'relabel' })).toBe(2);
  });

  it(
    'series that repeat, go and come back are sent with their labels each ' +
      'push, and a reload applies its rules at once',
    async () => {
      const w = writer({ write_relabel_configs: [{ target_label: 'cluster', replacement: 'eu-1' }] });
      const pushes: Array<[number, number]> = [
        [3, 1],
        [2, 2],
        [3, 3],
      ];
      for (const [n, ts] of pushes) {
        const before = rx.received.length;
        w.writer.push(gauges(n), ts);
        await until(`push ${ts}`, () => rx.received.length === before + 1);
      }
      const sent = (k: number) =>
        rx.received[k]!.series.map((s) => [
          s.labels.find(([l]) => l === 'i')![1],
          s.labels.find(([l]) => l === 'cluster')![1],
          s.samples[0]!.timestampMs,
        ]);
      expect([0, 1, 2].map(sent)).toEqual([
        [
          ['0', 'eu-1', 1],
          ['1', 'eu-1', 1],
          ['2', 'eu-1', 1],
        ],
        [
          ['0', 'eu-1', 2],
          ['1', 'eu-1', 2],
        ],
        [
          ['0', 'eu-1', 3],
          ['1', 'eu-1', 3],
          ['2', 'eu-1', 3],
        ],
      ]);
      const { readRemoteWrite } = await import('../../src/config/remote-write.js');
      w.writer.reconfigure(
        readRemoteWrite(
          [
            {
              url: rx.url,
              name: 'rx',
              queue_config: { batch_send_deadline: '50ms' },
              write_relabel_configs: [{ target_label: 'cluster', replacement: 'us-2' }],
            },
          ],
          secretsDir,
        ).remoteWrite,
      );
      w.writer.push(gauges(3), 4);
      await until('the push after the reload', () => rx.received.length === 4);
      expect(sent(3)).toEqual([
        ['0', 'us-2', 4],
        ['1', 'us-2', 4],
        ['2', 'us-2', 4],
      ]);
    },
  );

  it('never logs a credential, even when the receiver echoes it back', async () => {
    writer({ basic_auth: { username: 'user', password: 'inline-pa55word' } });
    rx.script({
      status: 401,
      body: `bad credentials: Basic ${Buffer.from('user:inline-pa55word').toString('base64')} (inline-pa55word)`,
    });
    h!.writer.push(gauges(1), 1);
    await until('the refusal', async () => (await counter('samples_failed_total')) === 1);
    const log = h!.lines.join('\n');
    expect(log).toContain('refused a batch');
    expect(log).not.toContain('inline-pa55word');
    expect(log).not.toContain(Buffer.from('user:inline-pa55word').toString('base64'));
    expect(await h!.registry.metrics()).not.toContain('inline-pa55word');
  });

  it('close flushes a partial batch at once, without waiting for batch_send_deadline', async () => {
    const w = writer({}, { batch_send_deadline: '1h' });
    w.writer.push(gauges(3), 1);
    await until('the samples to be batched', async () => (await counter('samples_pending')) === 3);
    await w.writer.close(2_000);
    expect(rx.samplesPerRequest()).toEqual([3]);
    expect(await counter('samples_dropped_total', { reason: 'shutdown' })).toBe(0);
  });

  it('close gives up after its deadline, counts what is left and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const w = writer({}, { min_backoff: '1s', max_backoff: '1s', max_samples_per_send: 2 });
    rx.fallback({ status: 500 });
    w.writer.push(gauges(5), 1);
    await until('the first failure', async () => rx.attempts() >= 1 && (await counter('samples_pending')) === 5);
    const start = Date.now();
    await w.writer.close(200);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(await counter('samples_dropped_total', { reason: 'shutdown' })).toBe(5);
    expect(await counter('samples_pending')).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
    w.writer.push(gauges(1), 2); // ignored after close, never throws
  });

  it('reconfigure keeps an unchanged remote, and a changed one takes over the queued samples', async () => {
    const other = await startFakeReceiver();
    try {
      const w = writer();
      rx.fallback({ status: 503 });
      w.writer.push(gauges(3), 1);
      await until('a retry', async () => (await counter('samples_retried_total')) > 0);
      const { readRemoteWrite } = await import('../../src/config/remote-write.js');
      const same = readRemoteWrite(
        [
          {
            url: rx.url,
            name: 'rx',
            queue_config: { batch_send_deadline: '50ms', min_backoff: '10ms', max_backoff: '40ms' },
          },
        ],
        secretsDir,
      ).remoteWrite;
      w.writer.reconfigure(same);
      expect(w.writer.pending()).toEqual({ rx: 3 });
      const moved = readRemoteWrite([{ url: other.url, name: 'rx' }], secretsDir).remoteWrite;
      w.writer.reconfigure(moved);
      await until('the queued samples at the new address', () => other.received.length === 1);
      expect(other.received[0]!.series).toHaveLength(3);
      expect(await counter('samples_sent_total')).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('never throws on a body that is not an exposition, and counts the unreadable lines', async () => {
    const w = writer();
    w.writer.push(Buffer.from('good 1\nthis is { not a sample\n\u0000\u0001\n'), 1);
    await until('the good sample', () => rx.received.length === 1);
    await settled();
    expect(await counter('samples_dropped_total', { reason: 'invalid' })).toBe(2);
  });
});

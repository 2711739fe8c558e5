/** tls_config: a receiver behind TLS is trusted through ca_file (and server_name), and refused without it. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll.js';
import { gauges } from './fake-receiver.js';
import { buildWriter, P, type WriterHarness } from './harness.js';

const pki = resolve(__dirname, '../testdata/web-config');
let server: Server;
let port = 0;
let requests = 0;

beforeAll(async () => {
  server = createServer(
    { cert: readFileSync(resolve(pki, 'server.crt')), key: readFileSync(resolve(pki, 'server.key')) },
    (req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.end());
    },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

async function sendOne(entry: Record<string, unknown>): Promise<WriterHarness> {
  const h = buildWriter(
    [
      {
        name: 'tls',
        queue_config: { batch_send_deadline: '10ms', min_backoff: '10ms', max_backoff: '20ms' },
        ...entry,
      },
    ],
    pki,
  );
  h.writer.push(gauges(2), 1);
  return h;
}

describe('remote_write over TLS', () => {
  it.each([
    ['ca_file', { url: `https://127.0.0.1:PORT/api/v1/write`, tls_config: { ca_file: 'ca.crt' } }],
    [
      'ca_file and server_name',
      { url: `https://localhost:PORT/api/v1/write`, tls_config: { ca_file: 'ca.crt', server_name: 'localhost' } },
    ],
    [
      'insecure_skip_verify',
      { url: `https://127.0.0.1:PORT/api/v1/write`, tls_config: { insecure_skip_verify: true } },
    ],
  ])('trusts the receiver with %s', async (_name, entry) => {
    const h = await sendOne({ ...entry, url: entry.url.replace('PORT', String(port)) });
    try {
      await pollUntil(
        'delivery',
        async () => ((await h.metric(`${P}samples_sent_total`, { remote: 'tls' })) === 2 ? true : undefined),
        10_000,
        20,
      );
    } finally {
      await h.writer.close(500);
    }
  });

  it('does not send to a receiver whose certificate it cannot verify, and retries', async () => {
    const before = requests;
    const h = await sendOne({ url: `https://127.0.0.1:${port}/api/v1/write` });
    try {
      await pollUntil(
        'a retry',
        async () => ((await h.metric(`${P}samples_retried_total`, { remote: 'tls' })) > 0 ? true : undefined),
        10_000,
        20,
      );
      expect(requests).toBe(before);
      expect(h.lines.find((l) => l.includes('send failed'))).toMatch(/reason=network .*(certificate|CERT)/i);
    } finally {
      await h.writer.close(200);
    }
  });
});

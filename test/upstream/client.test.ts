import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../src/upstream/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const BODY = '# TYPE x counter\nx_total{a="b"} 1\n';
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(url: string, timeoutMs = 2000) {
  return new UpstreamClient({ url, timeoutMs, bodySizeLimitBytes: 1024 * 1024 });
}

describe('UpstreamClient', () => {
  it('sends the key as Api-Key, asks for gzip and decompresses', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(BODY));
    });
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: true, status: 200, contentType: 'text/plain; version=0.0.4' });
    expect(result.ok && result.body.toString('utf8')).toBe(BODY);
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe(`Api-Key ${KEY}`);
    expect(req.headers['accept-encoding']).toBe('gzip');
    expect(req.headers['user-agent']).toMatch(/^baseten-metrics-bridge\//);
  });

  it.each([
    [401, {}, 'auth', 'upstream rejected the key (HTTP 401)'],
    [403, {}, 'auth', 'upstream rejected the key (HTTP 403)'],
    [404, {}, 'http_4xx', 'upstream refused the request (HTTP 404)'],
    [429, {}, 'rate_limited', 'upstream rate limit hit (HTTP 429)'],
    [429, { 'Retry-After': '30' }, 'rate_limited', 'upstream rate limit hit (HTTP 429, retry after 30s)'],
    [500, {}, 'http_5xx', 'upstream error (HTTP 500)'],
    [503, {}, 'http_5xx', 'upstream error (HTTP 503)'],
  ])('HTTP %d %j → %s', async (status, headers, reason, message) => {
    server = await startTestServer((_req, res) => {
      res.writeHead(status, headers);
      res.end('{"code":"PERMISSION_DENIED"}');
    });
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, status, reason, message });
    if ('Retry-After' in headers) expect(result).toMatchObject({ retryAfterMs: 30_000 });
  });

  it('does not follow a redirect, so the key never reaches another host', async () => {
    const other = await startTestServer((_req, res) => res.end(BODY));
    server = await startTestServer((_req, res) => {
      res.writeHead(302, { Location: other.url });
      res.end();
    });
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, reason: 'redirect', status: 302 });
    expect(other.requests).toHaveLength(0);
    await other.close();
  });

  it('times out on a server that never answers', async () => {
    server = await startTestServer(() => undefined);
    const result = await client(server.url, 300).fetch(KEY);
    expect(result).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: 'upstream did not answer within 0.3s (upstream.timeout)',
    });
  });

  it('reports a refused connection as a network failure', async () => {
    const gone = await startTestServer(() => undefined);
    await gone.close();
    const result = await client(gone.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, reason: 'network' });
    expect((result as { message: string }).message).toMatch(/^cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it('refuses a body over the size limit', async () => {
    server = await startTestServer((_req, res) => res.end('x'.repeat(2 * 1024 * 1024)));
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, reason: 'body_too_large' });
  });

  it('refuses a gzip body whose text passes the size limit though its compressed bytes do not', async () => {
    // 2 MiB of zeros is about 2 KiB compressed: the compressed size passes, the text does not.
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(2 * 1024 * 1024)));
    });
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, reason: 'body_too_large' });
  });

  describe('a body that repeats the accepted one byte for byte', () => {
    let body = BODY;
    let type = 'text/plain; version=0.0.4';
    beforeEach(async () => {
      body = BODY;
      type = 'text/plain; version=0.0.4';
      server = await startTestServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip' });
        res.end(gzipSync(body));
      });
    });

    it('comes back repeated, not decompressed; a changed one is read', async () => {
      const c = client(server!.url);
      const first = await c.fetch(KEY);
      expect(first).toMatchObject({ ok: true, received: { contentEncoding: 'gzip', contentType: type } });
      if (!first.ok || first.received === undefined) throw new Error('expected a compressed body');
      expect(first.received.compressed.equals(gzipSync(BODY))).toBe(true);
      const again = await c.fetch(KEY, undefined, first.received);
      expect(again).toMatchObject({ ok: true, repeated: true, body: Buffer.alloc(0) });
      body = `${BODY}y 1\n`;
      const changed = await c.fetch(KEY, undefined, first.received);
      expect(changed.ok && changed.repeated).toBeFalsy();
      expect(changed.ok && changed.body.toString()).toBe(body);
    });

    it('is read again when its headers say to read it another way', async () => {
      const c = client(server!.url);
      const first = await c.fetch(KEY);
      if (!first.ok || first.received === undefined) throw new Error('expected a compressed body');
      type = 'application/openmetrics-text; version=1.0.0';
      const again = await c.fetch(KEY, undefined, first.received);
      expect(again).toMatchObject({ ok: true, contentType: type, body: Buffer.from(BODY) });
      expect(again.ok && again.repeated).toBeFalsy();
    });
  });

  it('reads the next body into a buffer handed back when it fits, and only once', async () => {
    let n = 0;
    // About 200 KiB, different each time.
    const text = () => `${BODY}${'x_total{pod="p"} 1\n'.repeat(10_000)}n ${n++}\n`;
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(text()));
    });
    const c = client(server.url);
    const first = await c.fetch(KEY);
    if (!first.ok) throw new Error('expected a body');
    const spare = Buffer.allocUnsafeSlow(first.body.length * 1.5);
    c.reuse(spare);
    const second = await c.fetch(KEY);
    expect(second.ok && second.body.buffer).toBe(spare.buffer);
    expect(second.ok && second.body.toString()).toMatch(/\nn 1\n$/);
    const third = await c.fetch(KEY);
    expect(third.ok && third.body.buffer).not.toBe(spare.buffer);
    // One far larger than the body would hold that memory for nothing.
    const huge = Buffer.allocUnsafeSlow(first.body.length * 10);
    c.reuse(huge);
    const fourth = await c.fetch(KEY);
    expect(fourth.ok && fourth.body.buffer).not.toBe(huge.buffer);
    expect(fourth.ok && fourth.body.toString()).toMatch(/\nn 3\n$/);
  });

  it('refuses a body that is not UTF-8', async () => {
    server = await startTestServer((_req, res) => res.end(Buffer.from([0x78, 0x20, 0xff, 0xfe, 0x0a])));
    const result = await client(server.url).fetch(KEY);
    expect(result).toMatchObject({ ok: false, reason: 'parse', message: 'upstream body is not valid UTF-8' });
  });

  it('never puts the key in a failure message', async () => {
    server = await startTestServer((req, res) => {
      res.writeHead(500);
      res.end(`echo ${req.headers.authorization}`);
    });
    const result = await client(server.url).fetch(KEY);
    expect(JSON.stringify(result)).not.toContain(KEY.split('.')[1]);
  });
});

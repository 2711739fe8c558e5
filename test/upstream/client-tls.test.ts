/** The upstream over real TLS: verified by default, an extra CA from tls_config, and insecure_skip_verify. */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../src/upstream/index.js';
import { requireBinary } from '../helpers/require-binary.js';
import { generatePki, type Pki } from '../web-config/web-config-pki.js';

const openssl = requireBinary('openssl', 'openssl');
const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';

describe.skipIf(!openssl)('UpstreamClient over TLS', () => {
  let pki: Pki;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    pki = generatePki(openssl!);
    server = createServer(
      { cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey) },
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
        res.end('x 1\n');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.remove();
  });

  const client = (tls?: { ca?: string; insecureSkipVerify?: boolean }) =>
    new UpstreamClient({ url, timeoutMs: 3000, bodySizeLimitBytes: 1 << 20, ...(tls ? { tls } : {}) });

  // The CA exists only once beforeAll ran, so the table holds functions.
  it.each<[string, () => { ca?: string; insecureSkipVerify?: boolean } | undefined, boolean]>([
    ['an unknown CA is refused by default', () => undefined, false],
    ['the CA from tls_config.ca_file is trusted', () => ({ ca: readFileSync(pki.files.ca, 'utf8') }), true],
    ['insecure_skip_verify accepts anything', () => ({ insecureSkipVerify: true }), true],
  ])('%s', async (_name, tls, ok) => {
    const result = await client(tls()).fetch(KEY);
    expect(result.ok).toBe(ok);
    if (!ok) {
      expect(result).toMatchObject({
        reason: 'network',
        message: expect.stringMatching(
          new RegExp(
            String.raw`^TLS: cannot connect securely to 127\.0\.0\.1:\d+ ` +
              String.raw`\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|` +
              String.raw`UNABLE_TO_GET_ISSUER_CERT_LOCALLY|DEPTH_ZERO_SELF_SIGNED_CERT)\): ` +
              String.raw`.*upstream\.tls_config\.ca_file`,
          ),
        ),
      });
    }
  });

  it('names TLS and the fix when the certificate does not name the host', async () => {
    const other = new UpstreamClient({
      url: url.replace('127.0.0.1', 'localhost'),
      timeoutMs: 3000,
      bodySizeLimitBytes: 1 << 20,
      tls: { ca: readFileSync(pki.files.ca, 'utf8') },
    });
    const result = await other.fetch(KEY);
    expect(result).toMatchObject({
      ok: false,
      reason: 'network',
      message: expect.stringMatching(
        new RegExp(
          String.raw`^TLS: cannot connect securely to localhost:\d+ ` +
            String.raw`\(ERR_TLS_CERT_ALTNAME_INVALID\): the certificate does not ` +
            String.raw`name this host; use the host name the certificate was issued ` +
            String.raw`for in upstream.url$`,
        ),
      ),
    });
  });
});

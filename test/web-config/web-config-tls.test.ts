/**
 * createWebServer / applyWebConfig with real TLS: certificates from the openssl CLI, a real express app on
 * 127.0.0.1:0, and Node's own https client (one connection per request, so each request is a handshake).
 */
import { request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureVersion, TLSSocket } from 'node:tls';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyWebConfig, createWebServer } from '../../src/web-config/web-config-server.js';
import { loadWebConfig, WebConfigError, type ClientAuthType, type WebConfig } from '../../src/web-config/web-config.js';
import { requireBinary } from '../helpers/require-binary.js';
import { generatePki, type Pki } from './web-config-pki.js';

const openssl = requireBinary('openssl', 'openssl');

interface Answer {
  status: number;
  body: string;
  protocol: string | null;
  /** CN of the certificate the server presented. */
  serverName: string;
}

interface ClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
}

function get(url: string, opts: ClientOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...opts, agent: false }, (res) => {
      const socket = res.socket as TLSSocket;
      const seen = { protocol: socket.getProtocol(), serverName: String(socket.getPeerCertificate().subject?.CN) };
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...seen }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function plainGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The app answers with what it saw of the client certificate: its CN, or `-`. */
function app() {
  const a = express();
  a.get('/', (req, res) => {
    const cert = (req.socket as TLSSocket).getPeerCertificate?.();
    res.type('text').send(cert?.subject?.CN ?? '-');
  });
  return a;
}

async function start(config: WebConfig | undefined): Promise<{ server: Server; port: number }> {
  const server = createWebServer(app(), config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe.skipIf(!openssl)('web config TLS, for real', () => {
  let pki: Pki;
  let n = 0;
  const running: Server[] = [];
  /** Writes a web config (relative paths resolve against pki.dir) and loads it. */
  const config = (yaml: string): WebConfig => {
    const file = join(pki.dir, `web-${++n}.yml`);
    writeFileSync(file, yaml);
    return loadWebConfig(file);
  };
  const serve = async (c: WebConfig | undefined) => {
    const s = await start(c);
    running.push(s.server);
    return { ...s, url: `https://127.0.0.1:${s.port}/` };
  };

  beforeAll(() => {
    pki = generatePki(openssl!);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop));
  });
  afterAll(() => pki?.remove());

  const serverOnly = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';

  it('serves https to a client that trusts the CA, and nothing to one that does not', async () => {
    const { url } = await serve(config(serverOnly));
    expect(await get(url, { ca: pki.ca })).toMatchObject({
      status: 200,
      body: '-',
      serverName: 'server',
      protocol: 'TLSv1.3',
    });
    await expect(get(url)).rejects.toThrow(/self-signed certificate in certificate chain|unable to verify/i);
  });

  it('refuses plain http on the https port', async () => {
    const { port } = await serve(config(serverOnly));
    await expect(plainGet(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  // As Go's crypto/tls ClientAuthType, which exporter-toolkit maps client_auth_type to.
  describe.each<[ClientAuthType, { none: string; good: string; rogue: string }]>([
    ['NoClientCert', { none: '-', good: '-', rogue: '-' }],
    ['RequestClientCert', { none: '-', good: 'client', rogue: 'rogue' }],
    ['RequireAnyClientCert', { none: 'refused', good: 'client', rogue: 'rogue' }],
    ['VerifyClientCertIfGiven', { none: '-', good: 'client', rogue: 'refused' }],
    ['RequireAndVerifyClientCert', { none: 'refused', good: 'client', rogue: 'refused' }],
  ])('client_auth_type %s', (type, expected) => {
    const verifies = type === 'VerifyClientCertIfGiven' || type === 'RequireAndVerifyClientCert';
    const outcome = (p: Promise<Answer>) =>
      p.then(
        (a) => a.body,
        () => 'refused',
      );
    it.each(['TLSv1.3', 'TLSv1.2'] as const)(
      'over %s: without, with a CA-signed and with a foreign client certificate',
      async (version) => {
        const { url } = await serve(
          config(`${serverOnly}  client_auth_type: ${type}\n${verifies ? '  client_ca_file: ca.crt\n' : ''}`),
        );
        const base = { ca: pki.ca, maxVersion: version };
        expect({
          none: await outcome(get(url, base)),
          good: await outcome(get(url, { ...base, ...pki.client })),
          rogue: await outcome(get(url, { ...base, ...pki.rogue })),
        }).toEqual(expected);
      },
    );
  });

  it('min_version TLS13 refuses a TLS 1.2-only client', async () => {
    const { url } = await serve(config(`${serverOnly}  min_version: TLS13\n`));
    await expect(get(url, { ca: pki.ca, maxVersion: 'TLSv1.2' })).rejects.toThrow(/protocol version|alert/i);
    expect((await get(url, { ca: pki.ca })).protocol).toBe('TLSv1.3');
  });

  it('max_version TLS12 holds a TLS 1.3 client to TLS 1.2, and refuses a TLS 1.3-only one', async () => {
    const { url } = await serve(config(`${serverOnly}  max_version: TLS12\n`));
    expect((await get(url, { ca: pki.ca })).protocol).toBe('TLSv1.2');
    await expect(get(url, { ca: pki.ca, minVersion: 'TLSv1.3' })).rejects.toThrow();
  });

  describe('reload', () => {
    it('swaps in a new certificate and client auth policy for new connections', async () => {
      const { server, url } = await serve(config(serverOnly));
      expect(await get(url, { ca: pki.ca })).toMatchObject({ serverName: 'server', body: '-' });
      applyWebConfig(
        server,
        config(
          'tls_server_config:\n  cert_file: rotated.crt\n  key_file: ' +
            'rotated.key\n  client_auth_type: RequireAndVerifyClientCert\n  ' +
            'client_ca_file: ca.crt\n',
        ),
      );
      expect(await get(url, { ca: pki.ca, ...pki.client })).toMatchObject({ serverName: 'rotated', body: 'client' });
      await expect(get(url, { ca: pki.ca })).rejects.toThrow();
      applyWebConfig(server, config(serverOnly));
      expect(await get(url, { ca: pki.ca })).toMatchObject({ serverName: 'server', body: '-' });
    });

    it('cannot switch between http and https, and says so', async () => {
      const tls = config(serverOnly);
      const plain = config('basic_auth_users: {}\n');
      const https = await serve(tls);
      const http = await serve(undefined);
      const problems = (run: () => void) => {
        try {
          run();
        } catch (err) {
          expect(err).toBeInstanceOf(WebConfigError);
          return (err as WebConfigError).lines();
        }
        return [];
      };
      expect(problems(() => applyWebConfig(https.server, plain))).toEqual([
        `web config ${plain.origin}: tls_server_config: HTTPS cannot be turned ` +
          `off by a reload; the server was started with TLS (restart the bridge ` +
          `to serve plain HTTP)`,
      ]);
      expect(problems(() => applyWebConfig(https.server, undefined))).toEqual([
        'web config: tls_server_config: HTTPS cannot be turned off by a ' +
          'reload; the server was started with TLS (restart the bridge to serve plain HTTP)',
      ]);
      expect(problems(() => applyWebConfig(http.server, tls))).toEqual([
        `web config ${tls.origin}: tls_server_config: HTTPS cannot be turned ` +
          `on by a reload; the server was started without TLS (restart the ` +
          `bridge to serve HTTPS)`,
      ]);
      expect(problems(() => applyWebConfig(http.server, plain))).toEqual([]);
      // The refused reloads changed nothing.
      expect((await get(https.url, { ca: pki.ca })).status).toBe(200);
      expect(await plainGet(`http://127.0.0.1:${http.port}/`)).toBe(200);
    });
  });
});

/**
 * A real Prometheus 2.42 scrapes the bridge's HTTP surface through the web config: `scheme: https` with
 * the test CA and `basic_auth`, and (a second server) a client certificate. Go's TLS and HTTP client against
 * Node's server, both ways of failing visible as `up == 0`.
 */
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../src/web-config/basic-auth.js';
import { createWebServer } from '../../src/web-config/web-config-server.js';
import { loadWebConfig, type WebConfig } from '../../src/web-config/web-config.js';
import { pollUntil } from '../helpers/poll.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { generatePki, type Pki } from './web-config-pki.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const openssl = requireBinary('openssl', 'openssl');
const EXPOSITION = '# TYPE probe_value gauge\nprobe_value 1\n';
const PASSWORD = 'scrape-secret';

describe.skipIf(!prometheusBin || !openssl)('real Prometheus scraping through the web config', () => {
  let pki: Pki;
  let prometheus: RunningPrometheus;
  const servers: Server[] = [];
  const unauthorized: string[] = [];

  async function serve(config: WebConfig): Promise<number> {
    const app = express();
    app.use((req, res, next) => {
      res.on(
        'finish',
        () => res.statusCode === 401 && unauthorized.push(req.headers.authorization ? 'wrong' : 'missing'),
      );
      next();
    });
    app.use(basicAuth(() => config));
    app.get('/metrics', (_req, res) => {
      res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
      res.end(EXPOSITION);
    });
    const server = createWebServer(app, config);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  function webConfig(name: string, yaml: string): WebConfig {
    writeFileSync(join(pki.dir, name), yaml);
    return loadWebConfig(join(pki.dir, name));
  }

  /** One scrape job over https trusting the test CA; `tls` and `auth` are extra YAML lines. */
  const job = (name: string, port: number, { tls = [], auth = [] }: { tls?: string[]; auth?: string[] } = {}) =>
    [
      `  - job_name: ${name}`,
      '    scheme: https',
      '    tls_config:',
      `      ca_file: ${pki.files.ca}`,
      ...tls.map((line) => `      ${line}`),
      ...auth.map((line) => `    ${line}`),
      '    static_configs:',
      `      - targets: ['127.0.0.1:${port}']`,
    ].join('\n');

  beforeAll(async () => {
    pki = generatePki(openssl!);
    const tlsServer = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';
    const authPort = await serve(
      webConfig('auth.yml', `${tlsServer}basic_auth_users:\n  prometheus: ${bcrypt.hashSync(PASSWORD, 10)}\n`),
    );
    const mtlsPort = await serve(
      webConfig('mtls.yml', `${tlsServer}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n`),
    );
    writeFileSync(join(pki.dir, 'client.crt.pem'), pki.client.cert);
    writeFileSync(join(pki.dir, 'client.key.pem'), pki.client.key);
    const clientCert = [
      `cert_file: ${join(pki.dir, 'client.crt.pem')}`,
      `key_file: ${join(pki.dir, 'client.key.pem')}`,
    ];
    prometheus = await startPrometheus(
      prometheusBin!,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        job('basic-auth', authPort, { auth: ['basic_auth:', '  username: prometheus', `  password: ${PASSWORD}`] }),
        job('wrong-password', authPort, {
          auth: ['basic_auth:', '  username: prometheus', '  password: not-the-password'],
        }),
        job('no-credentials', authPort),
        job('client-cert', mtlsPort, { tls: clientCert }),
        job('client-cert-missing', mtlsPort),
        '',
      ].join('\n'),
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    pki?.remove();
  });

  const up = (jobName: string) =>
    pollUntil(
      `up{job="${jobName}"} in Prometheus`,
      async () => (await prometheus.query(`up{job="${jobName}"}`))[0]?.value[1],
      30_000,
    );

  it.each([
    ['basic-auth', '1'],
    ['client-cert', '1'],
  ])('%s: up == 1 and probe_value is stored', async (jobName, expected) => {
    expect(await up(jobName)).toBe(expected);
    const samples = await pollUntil('probe_value', async () => {
      const result = await prometheus.query(`probe_value{job="${jobName}"}`);
      return result.length > 0 ? result : undefined;
    });
    expect(samples.map((s) => s.value[1])).toEqual(['1']);
  });

  it.each(['wrong-password', 'no-credentials', 'client-cert-missing'])(
    '%s: up == 0 and nothing stored',
    async (jobName) => {
      expect(await up(jobName)).toBe('0');
      expect(await prometheus.query(`probe_value{job="${jobName}"}`)).toEqual([]);
    },
  );

  it('the refusals were 401s from basicAuth, not TLS failures', async () => {
    const seen = await pollUntil('both kinds of 401', () =>
      unauthorized.includes('wrong') && unauthorized.includes('missing') ? new Set(unauthorized) : undefined,
    );
    expect([...seen].sort()).toEqual(['missing', 'wrong']);
  });
});

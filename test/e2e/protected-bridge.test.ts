/**
 * The bridge behind --web.config.file (TLS and basic auth), as a process: refused without credentials,
 * /-/healthy open for probes, and a real Prometheus 2.42 scraping it with tls_config and basic_auth.
 */
import { request } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { generatePki, type Pki } from '../web-config/web-config-pki.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const openssl = requireBinary('openssl', 'openssl');
const PASSWORD = 'scrape-me-please';

function get(
  port: number,
  path: string,
  ca: string,
  auth?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        ca,
        headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!prometheusBin || !openssl)('a protected bridge', () => {
  const key = generateApiKey();
  let pki: Pki;
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let prometheus: RunningPrometheus;
  let port: number;

  beforeAll(async () => {
    pki = generatePki(openssl!);
    simulator = await startSimulator({ apiKey: key });
    const config = join(pki.dir, 'bridge.yml');
    writeFileSync(config, `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  timeout: 5s\n`);
    const web = join(pki.dir, 'web.yml');
    writeFileSync(
      web,
      `tls_server_config:\n  cert_file: ${pki.files.serverCert}\n  key_file: ` +
        `${pki.files.serverKey}\nbasic_auth_users:\n  prometheus: ` +
        `${bcrypt.hashSync(PASSWORD, 6)}\n`,
    );
    port = await freePort();
    bridge = spawnBridge(
      [`--config.file=${config}`, `--web.config.file=${web}`, `--web.listen-address=127.0.0.1:${port}`],
      childEnv({ BASETEN_API_KEY: key }, pki.dir),
    );
    await pollUntil('the bridge to serve TLS', async () =>
      (await get(port, '/-/healthy', pki.ca)).status === 200 ? true : undefined,
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await bridge?.stop();
    await simulator?.close();
    pki?.remove();
  });

  it.each<[string, string | undefined, number]>([
    ['/-/healthy', undefined, 200],
    ['/metrics', undefined, 401],
    ['/metrics', 'prometheus:wrong', 401],
    ['/-/ready', undefined, 401],
    ['/', undefined, 401],
    ['/metrics', `prometheus:${PASSWORD}`, 200],
  ])('%s with %j → %d', async (path, auth, status) => {
    const res = await get(port, path, pki.ca, auth);
    expect(res.status).toBe(status);
    if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="baseten-bridge"');
  });

  it('is scraped by a real Prometheus with tls_config and basic_auth', async () => {
    prometheus = await startPrometheus(
      prometheusBin!,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: baseten',
        '    scheme: https',
        `    tls_config: { ca_file: ${pki.files.ca} }`,
        `    basic_auth: { username: prometheus, password: ${PASSWORD} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
        '  - job_name: no-credentials',
        '    scheme: https',
        `    tls_config: { ca_file: ${pki.files.ca} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
        '',
      ].join('\n'),
    );
    const up = await pollUntil('both jobs scraped', async () => {
      const result = await prometheus.query('up');
      return result.length === 2 ? Object.fromEntries(result.map((r) => [r.metric.job, r.value[1]])) : undefined;
    });
    expect(up).toEqual({ baseten: '1', 'no-credentials': '0' });
    const series = await pollUntil('Baseten series through TLS', async () => {
      const r = await prometheus.query('baseten_replicas_active{job="baseten"}');
      return r.length > 0 ? r : undefined;
    });
    expect(series.length).toBeGreaterThan(0);
    expect(leakFinder(key)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
    expect(bridge.stderr()).not.toContain(PASSWORD);
  });
});

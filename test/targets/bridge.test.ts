/**
 * One cycle in-process against a loopback upstream whose answer the test switches: good data is served,
 * a failure keeps the last good snapshot, counts the reason and logs once per change, and stale data stops.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { Bridge } from '../../src/targets/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const GOOD = [
  '# HELP baseten_inference_requests_total Requests.',
  '# TYPE baseten_inference_requests_total counter',
  'baseten_inference_requests_total{model_name="a \\"b\\"",status_code="200"} 5',
  'baseten_inference_requests_total{model_name="a \\"b\\"",status_code="200"} 6',
  '# TYPE lat histogram',
  'lat_bucket{m="x",le="1"} 1',
  'lat_bucket{m="x",le="+Inf"} 2',
  'lat_sum{m="x"} 3',
  'lat_count{m="x"} 2',
  'lat_bucket{m="y",le="1"} 1',
  'lat_sum{m="y"} 1',
  'lat_count{m="y"} 1',
  '',
].join('\n');

let server: TestServer;
let answer: { status: number; body: string };
let clock: number;

beforeEach(async () => {
  answer = { status: 200, body: GOOD };
  clock = 1_700_000_000_000;
  server = await startTestServer((_req, res) => {
    res.writeHead(answer.status, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(answer.body);
  });
});

afterEach(async () => {
  await server.close();
});

function makeBridge(rules: unknown[] = []) {
  const lines: string[] = [];
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'debug', format: 'logfmt', secrets, write: (l) => lines.push(l) });
  const config = buildConfig(
    {
      upstream: { url: server.url, interval: '15s', timeout: '2s', max_staleness: '1m' },
      metric_relabel_configs: rules,
    },
    'test',
    '/',
  ).targets[0]!;
  const metrics = createBridgeMetrics();
  const bridge = new Bridge({
    config,
    logger,
    secrets,
    metrics,
    keyLookup: { env: { BASETEN_API_KEY: KEY }, homeDir: '/nonexistent' },
    now: () => clock,
  });
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    );
    return metric?.value;
  };
  return { bridge, lines, value };
}

describe('Bridge cycle', () => {
  it('serves good data, drops the duplicate and the histogram without +Inf, and counts them', async () => {
    const { bridge, value } = makeBridge([
      { source_labels: ['__name__'], regex: 'baseten_.*', target_label: 'team', replacement: 'ml' },
    ]);
    expect(await bridge.runCycle()).toEqual({ ok: true, nextWhy: 'interval', nextDueMs: clock + 15_000 });
    const text = bridge.store.servable()!.text.toString();
    expect(text).toContain(
      'baseten_inference_requests_total{model_name="a \\"b\\"",status_code="200",team="ml"} 5 1700000000000\n',
    );
    expect(text).not.toMatch(/\} 6 /);
    expect(text).toContain('lat_bucket{le="+Inf",m="x"} 2');
    expect(text).not.toContain('m="y"');
    expect(text).toMatch(
      /# HELP baseten_inference_requests_total Requests\. \(cached from Baseten by baseten-metrics-bridge\)/,
    );
    expect(await value('baseten_bridge_series_dropped_total', { reason: 'duplicate' })).toBe(1);
    expect(await value('baseten_bridge_series_dropped_total', { reason: 'broken_histogram' })).toBe(3);
    expect(await value('baseten_bridge_series_scraped')).toBe(9);
    expect(await value('baseten_bridge_series_after_relabel')).toBe(5);
    expect(await value('baseten_bridge_upstream_up')).toBe(1);
  });

  it.each([
    [{ status: 500, body: 'oops' }, 'http_5xx'],
    [{ status: 401, body: '{"code":"PERMISSION_DENIED"}' }, 'auth'],
    [{ status: 429, body: '' }, 'rate_limited'],
    [{ status: 200, body: '<html><body>Maintenance</body></html>' }, 'parse'],
    [{ status: 200, body: '' }, 'parse'],
  ])('on %j keeps serving the last good data, counts %s and logs once', async (bad, reason) => {
    const { bridge, lines, value } = makeBridge();
    await bridge.runCycle();
    const good = bridge.store.servable();
    answer = bad;
    clock += 10_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: false, reason });
    clock += 10_000;
    await bridge.runCycle();
    expect(bridge.store.servable()).toBe(good);
    expect(await value('baseten_bridge_upstream_up')).toBe(0);
    expect(await value('baseten_bridge_fetch_failures_total', { reason })).toBe(2);
    expect(await value('baseten_bridge_data_age_seconds')).toBe(20);
    expect(lines.filter((l) => l.includes('level=warn'))).toHaveLength(1);
    expect(lines.join('')).not.toContain(KEY.split('.')[1]);
    answer = { status: 200, body: GOOD };
    clock += 10_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    expect(lines.filter((l) => l.includes('recovered_from=')).length).toBe(1);
  });

  it('stops serving data older than max_staleness', async () => {
    const { bridge } = makeBridge();
    await bridge.runCycle();
    answer = { status: 503, body: '' };
    clock += 59_000;
    await bridge.runCycle();
    expect(bridge.store.servable()).toBeDefined();
    clock += 2_000;
    expect(bridge.store.servable()).toBeUndefined();
  });
});

describe('key rotation against a real upstream', () => {
  it('401/403 → the key file is re-read → the next attempt recovers', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { generateApiKey, startSimulator } = await import('../../src/demo/index.js');
    const newKey = generateApiKey();
    const simulator = await startSimulator({ apiKey: newKey, now: () => clock });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-rotate-'));
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, `${KEY}\n`, { mode: 0o400 });
    const lines: string[] = [];
    const secrets = new SecretRegistry();
    const logger = createLogger({ level: 'debug', format: 'logfmt', secrets, write: (l) => lines.push(l) });
    const config = buildConfig(
      { upstream: { url: simulator.url, interval: '15s', timeout: '2s', api_key_file: keyFile } },
      'test',
      '/',
    ).targets[0]!;
    const metrics = createBridgeMetrics();
    const bridge = new Bridge({
      config,
      logger,
      secrets,
      metrics,
      keyLookup: { env: {}, homeDir: '/nonexistent' },
      now: () => clock,
    });
    const rejected = await bridge.runCycle();
    expect(rejected).toMatchObject({ ok: false, reason: 'auth' });
    expect(rejected.nextDueMs).toBe(clock + 15_000);
    expect(lines.join('')).toContain('key=abcdefgh.***');

    writeFileSync(keyFile, `${newKey}\n`);
    clock += 15_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    expect(
      lines.some((l) => l.includes(`msg="API key changed" old_key=abcdefgh.*** new_key=${newKey.split('.')[0]}.***`)),
    ).toBe(true);
    expect(
      (await metrics.registry.getSingleMetric('baseten_bridge_api_key_reloads_total')!.get()).values[0]?.value,
    ).toBe(1);
    expect(simulator.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(lines.join('')).not.toContain(newKey.split('.')[1]);
    await simulator.close();
  });
});

describe('status source', () => {
  it('counts what each relabel rule dropped, cold and warm', async () => {
    const { bridge } = makeBridge([
      { source_labels: ['__name__'], regex: 'lat_.*', action: 'drop' },
      { source_labels: ['status_code'], regex: '200', target_label: 'ok', replacement: 'yes' },
    ]);
    for (let i = 0; i < 2; i++) {
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      expect(bridge.status.cardinality().droppedByRule).toEqual([
        { index: 0, action: 'drop', dropped: 7 },
        { index: 1, action: 'replace', dropped: 0 },
      ]);
      clock += 15_000;
    }
    const [target] = bridge.status.targets();
    expect(target).toMatchObject({ name: 'default', up: true, budgetUsed: 2, budgetLimit: 5 });
    expect(target!.history).toHaveLength(2);
    expect(JSON.stringify(bridge.status.configView())).toContain('abcdefgh.***');
    expect(JSON.stringify(bridge.status.configView())).not.toContain(KEY.split('.')[1]);
    expect(bridge.status.sampleSeries(3)).toHaveLength(3);
  });
});

describe('the status page config view', () => {
  it('uses the YAML keys and units of the file, and reads back as the same config', () => {
    const raw = {
      url: 'http://127.0.0.1:9/metrics',
      interval: '15s',
      body_size_limit: '8MiB',
      tls_config: { insecure_skip_verify: true },
    };
    const config = buildConfig({ upstream: raw }, 'test', '/');
    const secrets = new SecretRegistry();
    const bridge = new Bridge({
      config: config.targets[0]!,
      logger: createLogger({ level: 'error', format: 'logfmt', secrets }),
      secrets,
      metrics: createBridgeMetrics(),
    });
    const view = bridge.status.configView().upstream as Record<string, unknown>;
    expect(view).toMatchObject({
      url: raw.url,
      interval: '15s',
      timeout: '14s',
      body_size_limit: '8MiB',
      tls_config: { insecure_skip_verify: true },
    });
    const text = JSON.stringify(view);
    for (const internal of [
      'intervalMs',
      'timeoutMs',
      'bodySizeLimitBytes',
      'maxRequestsPerMinute',
      'insecureSkipVerify',
    ])
      expect(text).not.toContain(internal);
    expect(buildConfig({ upstream: view }, 'view', '/').targets[0]!.upstream).toEqual(config.targets[0]!.upstream);
    void bridge.close();
  });
});

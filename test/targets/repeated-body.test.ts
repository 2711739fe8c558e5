/**
 * A body that arrives as the very bytes of the last accepted one (Baseten refreshes every 30 s; the bridge
 * may fetch more often) is served from that cycle's result, not decompressed and built again; but never when
 * a key was added since it was checked, and never across a reload.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { Bridge } from '../../src/targets/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
/** A key the body below happens to hold (an upstream that echoes a header, say). */
const ECHOED = 'ijklmnop.fedcba9876543210fedcba9876543210';
const BODY = [
  '# TYPE baseten_inference_requests_total counter',
  `baseten_inference_requests_total{model_name="a",note="${ECHOED.split('.')[1]}"} 5`,
  '',
].join('\n');

let server: TestServer;
let body: string;
let clock: number;

beforeEach(async () => {
  body = BODY;
  clock = 1_700_000_000_000;
  server = await startTestServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Encoding': 'gzip' });
    res.end(gzipSync(body));
  });
});

afterEach(async () => {
  await server.close();
});

function makeBridge(rules: unknown[] = [], sampleTimestamps = true) {
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'warn', format: 'logfmt', secrets, write: () => undefined });
  const upstream = {
    url: server.url,
    interval: '15s',
    timeout: '2s',
    max_staleness: '1m',
    sample_timestamps: sampleTimestamps,
  };
  const config = (relabel: unknown[]) =>
    buildConfig({ upstream, metric_relabel_configs: relabel }, 'test', '/').targets[0]!;
  const bridge = new Bridge({
    config: config(rules),
    logger,
    secrets,
    metrics: createBridgeMetrics(),
    keyLookup: { env: { BASETEN_API_KEY: KEY }, homeDir: '/nonexistent' },
    now: () => clock,
  });
  return { bridge, secrets, config };
}

describe('a repeated body', () => {
  it(
    'is served again as it was within Baseten refresh (the same ' +
      'observation), stamped anew after it; a changed one is built',
    async () => {
      const { bridge } = makeBridge();
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      const first = bridge.store.last()!;
      expect(first.text.toString()).toContain('} 5 1700000000000\n');
      clock += 15_000;
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      const soon = bridge.store.last()!;
      expect(soon.fetchedAtMs).toBe(first.fetchedAtMs + 15_000);
      expect(soon.text).toBe(first.text);
      clock += 15_000;
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      const again = bridge.store.last()!;
      expect(again.fetchedAtMs).toBe(first.fetchedAtMs + 30_000);
      expect(again.text.toString()).toBe(first.text.toString().replace(' 1700000000000\n', ' 1700000030000\n'));
      body = BODY.replace('} 5', '} 6');
      clock += 15_000;
      expect(await bridge.runCycle()).toMatchObject({ ok: true });
      expect(bridge.store.last()!.text.toString()).toContain('} 6');
    },
  );

  it('without sample timestamps, is the same bytes again', async () => {
    const { bridge } = makeBridge([], false);
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    const first = bridge.store.last()!;
    expect(first.text.toString()).toContain('} 5\n');
    clock += 15_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    const again = bridge.store.last()!;
    expect(again.fetchedAtMs).toBe(first.fetchedAtMs + 15_000);
    expect(again.text.equals(first.text)).toBe(true);
  });

  it('is checked again for a key added since it was accepted', async () => {
    const { bridge, secrets } = makeBridge();
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    secrets.addKey(ECHOED);
    clock += 15_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: false, reason: 'key_in_body' });
  });

  it('is built again under a reloaded config', async () => {
    const { bridge, config } = makeBridge();
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    expect(bridge.store.last()!.text.toString()).toContain('model_name="a"');
    bridge.applyConfig(config([{ action: 'labeldrop', regex: 'model_name' }]));
    clock += 15_000;
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    expect(bridge.store.last()!.text.toString()).not.toContain('model_name');
  });
});

/**
 * Engine identity through one target's cycle: the served engine series carry their deployment's Baseten
 * model; those whose deployment sent no platform series are counted (a self-metric) and named on the status
 * page, whose debugger gets the identities the fetch stated; `engine_identity: false` turns it all off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { Bridge } from '../../src/targets/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const BODY = [
  'baseten_replicas_active{deployment_id="d1",environment="production",model_id="m1",model_name="chat"} 2',
  'vllm:num_requests_running{deployment_id="d1",replica="r1",model_name="org/served"} 3',
  'vllm:num_requests_running{deployment_id="d2",replica="r2"} 1',
  'sglang:num_queue_reqs{deployment_id="d3",replica="r3"} 0',
  '',
].join('\n');

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(BODY);
  });
});
afterEach(() => server.close());

function makeBridge(engineIdentity: boolean) {
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'warn', format: 'logfmt', secrets, write: () => undefined });
  const metrics = createBridgeMetrics();
  const config = buildConfig(
    { upstream: { url: server.url, sample_timestamps: false, engine_identity: engineIdentity } },
    'test',
    '/',
  ).targets[0]!;
  const bridge = new Bridge({
    config,
    logger,
    secrets,
    metrics,
    keyLookup: { env: { BASETEN_API_KEY: KEY }, homeDir: '/nonexistent' },
  });
  const gauge = async () =>
    (await metrics.registry.getSingleMetric('baseten_bridge_engine_series_without_identity')!.get()).values.map((v) => [
      v.labels.target,
      v.value,
    ]);
  return { bridge, gauge };
}

describe('engine identity in a target', () => {
  it('serves engine series with their Baseten model, counts and names those without', async () => {
    const { bridge, gauge } = makeBridge(true);
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    const text = bridge.store.servable()!.text.toString();
    expect(text).toContain(
      'vllm:num_requests_running{deployment_id="d1",environment="production",' +
        'exported_model_name="org/served",model_id="m1",model_name="chat",' +
        'replica="r1"} 3\n',
    );
    expect(text).toContain('vllm:num_requests_running{deployment_id="d2",replica="r2"} 1\n');
    expect(await gauge()).toEqual([['default', 2]]);
    expect(bridge.status.targets()[0]!.engineWithoutIdentity).toEqual({ series: 2, deployments: ['d2', 'd3'] });
    expect(bridge.status.identities()).toEqual([
      ['d1', { model_id: 'm1', model_name: 'chat', environment: 'production' }],
    ]);
    expect(bridge.status.configView()).toMatchObject({ upstream: { engine_identity: true } });
    await bridge.close();
  });

  it('engine_identity: false serves them as Baseten sent them, and counts nothing', async () => {
    const { bridge, gauge } = makeBridge(false);
    expect(await bridge.runCycle()).toMatchObject({ ok: true });
    expect(bridge.store.servable()!.text.toString()).toContain(
      'vllm:num_requests_running{deployment_id="d1",model_name="org/served",replica="r1"} 3\n',
    );
    expect(await gauge()).toEqual([]);
    expect(bridge.status.targets()[0]!.engineWithoutIdentity).toBeUndefined();
    expect(bridge.status.identities()).toEqual([]);
    await bridge.close();
  });
});

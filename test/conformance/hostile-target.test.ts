/**
 * Issue 14 (b): nothing an upstream sends may make the bridge's /metrics unreadable, because one refused
 * scrape loses every series of every target. Two targets in one bridge: a healthy workspace, and a hostile
 * one whose upstream sends a new kind of trouble on every fetch (hostile-bodies.ts). After each of its
 * cycles a real Prometheus 2.42 scrapes the merged /metrics: the scrape must be healthy and the healthy
 * target's series stored.
 *
 * Run: npm run build --silent && npx vitest run test/conformance/hostile-target.test.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { finishedCycles, waitScrapedAfterNow } from './harness.js';
import { HEALTHY_BODY, HEALTHY_SERIES, HOSTILE_BODIES } from './hostile-bodies.js';
import { currentSeries, targets } from './stored-samples.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');

describe.skipIf(!prometheusBin)('a hostile target beside a healthy one', () => {
  const keys = { healthy: generateApiKey(), hostile: generateApiKey() };
  let hostileFetches = 0;
  let upstream: TestServer;
  let bridge: BridgeProcess;
  let bridgeUrl: string;
  let prometheus: RunningPrometheus;
  let dir = '';

  beforeAll(async () => {
    upstream = await startTestServer((req, res) => {
      const target = req.url === '/healthy' ? 'healthy' : req.url === '/hostile' ? 'hostile' : undefined;
      if (target === undefined || req.headers.authorization !== `Api-Key ${keys[target]}`) {
        res.writeHead(target === undefined ? 404 : 401).end();
        return;
      }
      if (target === 'healthy') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(HEALTHY_BODY);
        return;
      }
      const { contentType, body } = HOSTILE_BODIES[Math.min(hostileFetches++, HOSTILE_BODIES.length - 1)]!;
      res.writeHead(200, { 'Content-Type': contentType }).end(body);
    });
    const base = upstream.url.replace(/\/metrics$/, '');
    const port = await freePort();
    bridgeUrl = `http://127.0.0.1:${port}`;
    prometheus = await startPrometheus(
      prometheusBin!,
      JSON.stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s' },
        scrape_configs: [
          { job_name: 'bridge', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${port}`] }] },
        ],
      }),
    );
    dir = mkdtempSync(join(tmpdir(), 'bridge-hostile-'));
    writeFileSync(join(dir, 'healthy.key'), keys.healthy);
    writeFileSync(join(dir, 'hostile.key'), keys.hostile);
    const target = (name: string, extra: object) => ({
      name,
      url: `${base}/${name}`,
      api_key_file: `${name}.key`,
      labels: { workspace: name },
      interval: '10s',
      timeout: '5s',
      max_requests_per_minute: 6,
      ...extra,
    });
    // The hostile target skips every line it cannot read, however many: all the rest reaches /metrics.
    writeFileSync(
      join(dir, 'bridge.yml'),
      JSON.stringify({ targets: [target('healthy', {}), target('hostile', { max_invalid_line_ratio: 1 })] }),
    );
    bridge = spawnBridge(
      [
        '--config.file=bridge.yml',
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.path=state',
        '--log.level=warn',
      ],
      childEnv({}, dir),
    );
  }, 60_000);

  afterAll(async () => {
    await bridge?.stop();
    await prometheus?.stop();
    await upstream?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it.each(HOSTILE_BODIES.map((b, i) => [i + 1, b.what] as const))(
    'fetch %i (%s): /metrics stays readable, the healthy series stored',
    async (n) => {
      await pollUntil(
        `the hostile target's cycle ${n}`,
        async () => ((await finishedCycles(bridgeUrl)).get('hostile')! >= n ? true : undefined),
        25_000,
        200,
      );
      await waitScrapedAfterNow(prometheus.url, ['bridge'], 10_000);
      const scrape = (await targets(prometheus.url)).get('bridge');
      expect(scrape, 'the bridge job').toMatchObject({ health: 'up', lastError: '' });
      const healthy = await currentSeries(prometheus.url, '{job="bridge",workspace="healthy"}');
      expect(healthy.size).toBe(HEALTHY_SERIES);
      expect(healthy.get('healthy_latency_seconds_bucket{le="+Inf",workspace="healthy"}')).toBe('2');
      if (n === 1) {
        // What Prometheus reads of the edge cases arrives as it would directly: -0, NaN, escapes as written.
        const [zero] = await prometheus.query('hostile_zero{workspace="hostile"}');
        expect(zero?.value[1]).toBe('-0');
        const [escaped] = await prometheus.query('hostile_escape{workspace="hostile"}');
        expect(escaped?.metric.a).toBe('\\t\\u00e9\\x00\\');
        const [nul] = await prometheus.query('hostile_nul{workspace="hostile"}');
        expect(nul?.metric.a).toBe('nul\u0000inside');
      }
    },
    40_000,
  );

  it('kept what it could of the hostile target and counted the body it could not read', async () => {
    const hostile = await currentSeries(prometheus.url, '{job="bridge",workspace="hostile"}');
    expect(hostile.get('good_after_garbage{a="2",workspace="hostile"}')).toBe('2');
    const text = await (await fetch(`${bridgeUrl}/metrics`)).text();
    expect(text).toMatch(/^baseten_bridge_fetch_failures_total\{target="hostile",reason="parse"\} 1$/m);
    expect(text).toMatch(/^baseten_bridge_upstream_up\{target="healthy"\} 1$/m);
  });
});

/**
 * The whole path with real parts: simulated Baseten → the built `baseten-bridge` (a child process, key from
 * BASETEN_API_KEY, upstream from --config.file) → a real Prometheus 2.42 scraping it. Prometheus must hold
 * the latency histogram with the label our relabel rule adds, and the key must appear nowhere. The bridge
 * fetches at the shortest interval Baseten allows (10 s, its 6 requests per minute) while Prometheus scrapes it
 * every second, so a fetch per scrape, a second schedule or a retry would show as a request too soon.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, untilReady, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { leakFinder } from '../helpers/leaks.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
/** Baseten's limit, 6 requests per minute, as an interval: the shortest the config accepts. */
const INTERVAL_MS = 10_000;
/** Requests to watch: the third comes 20 s after the first, through some 15 scrapes by Prometheus. */
const WATCHED_REQUESTS = 3;

describe.skipIf(!prometheusBin)('simulator → bridge → real Prometheus', () => {
  const key = generateApiKey();
  const leaks = leakFinder(key);
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let prometheus: RunningPrometheus;
  let bridgeUrl: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-e2e-'));
    const configFile = join(dir, 'bridge.yml');
    writeFileSync(
      configFile,
      [
        'upstream:',
        `  url: ${simulator.url}`,
        `  interval: ${INTERVAL_MS / 1000}s`,
        '  max_requests_per_minute: 6',
        '  timeout: 5s',
        'metric_relabel_configs:',
        '  - source_labels: [__name__]',
        "    regex: 'baseten_.+'",
        '    target_label: team',
        '    replacement: ml-platform',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    bridgeUrl = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=debug'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    await untilReady(bridgeUrl);
    prometheus = await startPrometheus(
      prometheusBin!,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ` +
        `baseten\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await bridge?.stop();
    await simulator?.close();
  });

  it('Prometheus stores the latency histogram with the relabel-added label', async () => {
    const series = await pollUntil(
      'bucket series in Prometheus',
      async () => {
        const result = await prometheus.query('baseten_end_to_end_response_time_seconds_bucket{team="ml-platform"}');
        return result.length > 0 ? result : undefined;
      },
      30_000,
    );
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) {
      expect(s.metric).toMatchObject({ job: 'baseten', team: 'ml-platform' });
      expect(s.metric.le).toBeDefined();
      expect(s.metric.model_name).toBeDefined();
    }
    const quantile = await prometheus.query(
      'histogram_quantile(0.95, sum by (le) (baseten_end_to_end_response_time_seconds_bucket))',
    );
    expect(Number(quantile[0]?.value[1])).toBeGreaterThan(0);
    const up = await prometheus.query('baseten_bridge_upstream_up');
    expect(up[0]?.value[1]).toBe('1');
  });

  it(
    "stores every vLLM and SGLang series with its deployment's Baseten " +
      'model_id, model_name and environment, the served model as ' +
      'exported_model_name',
    async () => {
      const ENGINE = '__name__=~"(vllm|sglang):.+"';
      const count = async (promql: string) => Number((await prometheus.query(promql))[0]?.value[1] ?? 0);
      const engines = await pollUntil(
        'engine series in Prometheus',
        async () => ((await count(`count({${ENGINE}})`)) > 100 ? count(`count({${ENGINE}})`) : undefined),
        30_000,
      );
      // Both engines run in the demo.
      expect(await count('count({__name__=~"vllm:.+"})')).toBeGreaterThan(0);
      expect(await count('count({__name__=~"sglang:.+"})')).toBeGreaterThan(0);
      // None without the identity; every one but vLLM's config info (which has no model_name) keeps the served model.
      expect(await prometheus.query(`{${ENGINE}, model_id=""}`)).toEqual([]);
      expect(await prometheus.query(`{${ENGINE}, model_name=""}`)).toEqual([]);
      expect(await prometheus.query(`{${ENGINE}, __name__!="vllm:cache_config_info", exported_model_name=""}`)).toEqual(
        [],
      );
      // And it is the identity the platform series of the same deployment state.
      const mismatched = await prometheus.query(
        `group by (deployment_id, model_id, model_name, environment) ({${ENGINE}}) ` +
          `unless on (deployment_id, model_id, model_name, environment) group by ` +
          `(deployment_id, model_id, model_name, environment) ` +
          `(baseten_replicas_active)`,
      );
      expect(mismatched).toEqual([]);
      expect(await count('baseten_bridge_engine_series_without_identity')).toBe(0);
      // Served models are engine paths, never a Baseten model name.
      const served = await prometheus.query(`count by (exported_model_name) ({${ENGINE}, exported_model_name!=""})`);
      expect(served.length).toBeGreaterThan(1);
      expect(served.map((s) => s.metric.exported_model_name).every((m) => m!.includes('/'))).toBe(true);
      expect(engines).toBeGreaterThan(100);
    },
  );

  it('serves the exposition with its content type, gzip on request, and HELP that says it is cached', async () => {
    const plain = await fetch(`${bridgeUrl}/metrics`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await plain.text();
    expect(text).toMatch(/# HELP baseten_inference_requests_total .*cached from Baseten/);
    expect(text).toMatch(/^baseten_bridge_build_info\{/m);
    const gz = await fetch(`${bridgeUrl}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    // fetch decompresses both gzip members into one body.
    const unzipped = await gz.text();
    expect(unzipped.split('\n').filter((l) => l.startsWith('baseten_inference_requests_total')).length).toBe(
      text.split('\n').filter((l) => l.startsWith('baseten_inference_requests_total')).length,
    );
  });

  it(
    "stayed within Baseten's 6 requests per minute while Prometheus scraped every second",
    async () => {
      await pollUntil(
        `${WATCHED_REQUESTS} upstream requests`,
        async () => (simulator.requests.length >= WATCHED_REQUESTS ? true : undefined),
        WATCHED_REQUESTS * INTERVAL_MS + 10_000,
        250,
      );
      const times = simulator.requests.map((r) => r.atMs);
      // Never sooner than the interval (less the scheduler's tick and loopback jitter)...
      expect(
        times
          .slice(1)
          .map((t, i) => t - times[i]!)
          .filter((gap) => gap < INTERVAL_MS - 500),
      ).toEqual([]);
      // ...so never more than 6 in any minute.
      for (const t of times) expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(6);
      expect(simulator.requests.every((r) => r.authorized)).toBe(true);
      // And Prometheus was scraping all along: a bridge that fetched per scrape would have had its chances.
      const scrapes = await prometheus.query('count_over_time(up{job="baseten"}[1m])');
      expect(Number(scrapes[0]?.value[1])).toBeGreaterThan(10);
    },
    WATCHED_REQUESTS * INTERVAL_MS + 20_000,
  );

  it('never shows the key: not in logs, not in /metrics, not in Prometheus', async () => {
    const metrics = await (await fetch(`${bridgeUrl}/metrics`)).text();
    const home = await (await fetch(`${bridgeUrl}/`)).text();
    // Everything Prometheus stored: every series with all its labels, each label's values, the metadata.
    const api = async (path: string) => (await fetch(`${prometheus.url}/api/v1/${path}`)).text();
    const names = JSON.parse(await api('labels')) as { data: string[] };
    expect(names.data).toEqual(expect.arrayContaining(['__name__', 'model_name', 'team']));
    const stored: Record<string, string> = {
      labels: JSON.stringify(names),
      series: await api(`series?match[]=${encodeURIComponent('{__name__=~".+"}')}`),
      metadata: await api('metadata'),
      targets: await api('targets'),
    };
    for (const name of names.data) stored[`values of ${name}`] = await api(`label/${encodeURIComponent(name)}/values`);
    expect((JSON.parse(stored.series!) as { data: unknown[] }).data.length).toBeGreaterThan(100);
    expect(bridge.stderr()).toContain(key.split('.')[0]);
    expect(leaks({ stdout: bridge.stdout(), stderr: bridge.stderr(), metrics, home, ...stored })).toEqual([]);
  });
});

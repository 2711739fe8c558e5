/**
 * A healthy organization pages no one: the demo's simulated Baseten (healthy, its whole model catalog: LLMs with
 * short and long answers, async, websocket and CPU-only models), the built bridge as a child process and a real
 * Prometheus 2.42 scraping it every second with every shipped rule file (deploy/prometheus/rules/*.yml) evaluated
 * every second. Once every rule has evaluated on the data of several fetches, no alert may be firing or pending,
 * nor have been at any evaluation since the data was there.
 *
 * Pending is the failure here, since a few seconds cannot show firing (`for:` keeps an alert pending): the SLO
 * alerts of the old example file went pending within minutes of the demo. The simulator's clock runs 60× fast, so
 * each fetch (10 s apart, Baseten's limit) holds ten simulated minutes of traffic: ratios of rare events (a 5xx in a
 * thousand) are read from hundreds of requests, not a handful. The 1h to 3d windows hold only those minutes, which
 * for a steady, healthy organization give the ratios a long run would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, MODEL_CATALOG, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, untilReady, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { kitPrometheusConfig, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const CLOCK_SPEEDUP = 60;
/** Good fetches before the verdict: the first only starts the counters, each later one is a delta for the rates. */
const FETCHES = 4;

/**
 * Alerts whose condition a healthy organization shows for a moment, so that they may be pending (never firing):
 * a replica starting is a scale-up, and the demo starts one now and then for a 30-second refresh; the 20-minute
 * `for:` is what tells a stuck start apart.
 */
const MOMENTARY = ['BasetenModelReplicasStuckStarting'];

interface Rule {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}

describe.skipIf(!prometheusBin)('the demo with every shipped rule file loaded', () => {
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let prometheus: RunningPrometheus;

  const api = async <T>(path: string): Promise<T> =>
    ((await (await fetch(`${prometheus.url}/api/v1/${path}`)).json()) as { data: T }).data;
  /** Good fetches Prometheus has seen: the first, then one per change of the last success time. */
  const goodFetches = async () =>
    1 +
    Number(
      (await prometheus.query('max(changes(baseten_bridge_last_success_timestamp_seconds[5m]))'))[0]?.value[1] ?? -1,
    );

  beforeAll(async () => {
    const key = generateApiKey();
    const t0 = Date.now();
    // Two deployments a model: the whole catalog, the demo's six deployments first.
    const deployments = 2 * MODEL_CATALOG.length;
    simulator = await startSimulator({ apiKey: key, deployments, now: () => t0 + (Date.now() - t0) * CLOCK_SPEEDUP });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-quiet-'));
    const configFile = join(dir, 'bridge.yml');
    // The shortest interval Baseten's 6 requests a minute allow.
    writeFileSync(
      configFile,
      `upstream:\n  url: ${simulator.url}\n  interval: 10s\n  max_requests_per_minute: 6\n  timeout: 5s\n`,
    );
    const port = await freePort();
    // A memory limit, as in a container: BasetenBridgeMemoryNearLimit judges the bridge's real resident memory.
    bridge = spawnBridge(
      [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--memory.limit=512MiB'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    await untilReady(`http://127.0.0.1:${port}`);
    prometheus = await startPrometheus(prometheusBin!, kitPrometheusConfig(`127.0.0.1:${port}`, '1s'));
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await bridge?.stop();
    await simulator?.close();
  });

  it('evaluates every rule cleanly and fires no alert, not even pending', async () => {
    // Two good fetches: every rate has a delta to judge. From then on, no alert may be active at any evaluation.
    await pollUntil(
      'two good fetches in Prometheus',
      async () => ((await goodFetches()) >= 2 ? true : undefined),
      40_000,
      500,
    );
    const since = Date.now();
    await pollUntil(
      `${FETCHES} good fetches in Prometheus`,
      async () => ((await goodFetches()) >= FETCHES ? true : undefined),
      30_000,
      500,
    );
    const judged = Date.now();
    // Every rule evaluated again after that, without error: the verdict is on data of several fetches.
    const rules = await pollUntil(
      'every rule evaluated on that data',
      async () => {
        const all = (await api<{ groups: Array<{ rules: Rule[] }> }>('rules')).groups.flatMap((g) => g.rules);
        return all.every((r) => Date.parse(r.lastEvaluation) > judged) ? all : undefined;
      },
      10_000,
      250,
    );
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual(
      [],
    );

    const show = (labels: Record<string, string>, state: string) =>
      [labels.alertname, state, labels.slo, labels.model_name ?? labels.instance]
        .filter((x) => x !== undefined)
        .join(' ');
    const alerts = (
      await api<{ alerts: Array<{ labels: Record<string, string>; state: string; value: string }> }>('alerts')
    ).alerts;
    const now = alerts.filter((a) => a.state === 'firing' || !MOMENTARY.includes(a.labels.alertname!));
    expect(now.map((a) => `${show(a.labels, a.state)} (${a.value})`)).toEqual([]);
    // Nor at any evaluation since the data was there: ALERTS has a sample for every evaluation an alert was active at.
    const history = await prometheus.query(`max_over_time(ALERTS[${Math.ceil((Date.now() - since) / 1000)}s])`);
    const active = history.filter((s) => s.metric.alertstate === 'firing' || !MOMENTARY.includes(s.metric.alertname!));
    expect(active.map((s) => show(s.metric, s.metric.alertstate!))).toEqual([]);

    // And they judged real data: every SLO of the example file has its ratios (LLMs by first byte and by their
    // engine's time to first token, the other models end to end, all by 5xx), and the memory alert both its sides.
    const slos = await prometheus.query('count by (slo) (slo:sli_error:ratio_rate5m >= 0)');
    expect(Object.fromEntries(slos.map((s) => [s.metric.slo, Number(s.value[1])]))).toEqual({
      'llm-ttfb-2500ms': MODEL_CATALOG.filter((m) => m.llm).length,
      'engine-ttft-1s': MODEL_CATALOG.filter((m) => m.engine !== undefined).length,
      'latency-10s': MODEL_CATALOG.filter((m) => !m.llm).length,
      availability: MODEL_CATALOG.length,
    });
    const memory = await prometheus.query(
      'process_resident_memory_bytes{job="baseten"} / baseten_bridge_memory_limit_bytes{job="baseten"}',
    );
    expect(memory).toHaveLength(1);
    expect(Number(memory[0]!.value[1])).toBeGreaterThan(0);
    expect(bridge.stderr()).toContain('memory_limit="512MiB (--memory.limit)"');
  }, 90_000);
});

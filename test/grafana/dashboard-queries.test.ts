/**
 * Every dashboard query, with Grafana's variables substituted the way Grafana does it, runs against a real
 * Prometheus 2.42 that scrapes the built bridge, which fetches the demo's simulated Baseten. Each must return
 * data, or read only a family listed below as optional (the panel then shows its "No data: …" text). A query
 * that errors fails. The same Prometheus loads deploy/prometheus/rules/*.yml: every rule must evaluate cleanly
 * against real bridge output. The LLM engines dashboard's queries need the demo's vLLM and SGLang families with
 * the Baseten identity the bridge attaches to them (model_name, environment): without either, they find nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { BRIDGE_VARIABLE_QUERIES, MODEL_VARIABLE_QUERIES } from '../../grafana/generator/index.js';
import { childEnv, spawnBridge, untilReady, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';
import { kitPrometheusConfig, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { familiesOf, loadDashboards, queriesOf, type DashboardQuery } from './dashboard-model.js';
import { interpolate, type Interpolation } from './grafana-interpolation.js';
import { atLeast } from '../helpers/cases.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');

/** Families a panel may find absent: Baseten exports them only sometimes, and so does the demo. */
const OPTIONAL_FAMILIES: Record<string, string> = {
  baseten_llm_spec_decode_num_accepted_tokens_total: 'speculative decoding; the demo exposes it in even minutes only',
  baseten_llm_spec_decode_num_draft_tokens_total: 'speculative decoding; the demo exposes it in even minutes only',
  'vllm:spec_decode_num_accepted_tokens_total': 'speculative decoding, on only some vLLM deployments',
  'vllm:spec_decode_num_draft_tokens_total': 'speculative decoding, on only some vLLM deployments',
};

/** The simulator's clock runs 10× faster, so its counters move at every one of the bridge's fetches. */
const CLOCK_SPEEDUP = 10;
/** The model filter's check: with one model chosen, the dashboards' variables select that model and only it. */
const ONE_MODEL_QUERY =
  'sum by (model_name) (baseten_replicas_active{environment=~"$environment", ' +
  'model_name=~"$model_name", deployment_id=~"$deployment_id"})';

const dashboards = loadDashboards();
const queries: DashboardQuery[] = atLeast(
  65,
  dashboards.flatMap(({ dashboard }) => queriesOf(dashboard)),
  'dashboard queries',
);

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!prometheusBin)('dashboard queries against Prometheus scraping the demo bridge', () => {
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let prometheus: RunningPrometheus;
  const acceptedEmpty: string[] = [];

  async function run(expr: string): Promise<Sample[]> {
    return (await prometheus.query(expr)) as Sample[];
  }

  async function labelValues(query: string, how: Interpolation): Promise<string[]> {
    const match = /^label_values\((.*), ([a-z_]+)\)$/.exec(interpolate(query, how));
    if (!match) throw new Error(`not a label_values query: ${query}`);
    const res = await fetch(
      `${prometheus.url}/api/v1/label/${match[2]}/values?match[]=${encodeURIComponent(match[1]!)}`,
    );
    const body = (await res.json()) as { status: string; error?: string; data: string[] };
    if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
    return body.data;
  }

  beforeAll(async () => {
    const key = generateApiKey();
    const t0 = Date.now();
    simulator = await startSimulator({ apiKey: key, now: () => t0 + (Date.now() - t0) * CLOCK_SPEEDUP });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-dash-'));
    const configFile = join(dir, 'bridge.yml');
    writeFileSync(configFile, `upstream:\n  url: ${simulator.url}\n  interval: 12s\n  timeout: 5s\n`);
    const port = await freePort();
    // With a memory limit, as in a container: the Process row's limit line has data (the cgroup here may have none).
    bridge = spawnBridge(
      [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, '--memory.limit=512MiB'],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    await untilReady(`http://127.0.0.1:${port}`);
    prometheus = await startPrometheus(prometheusBin!, kitPrometheusConfig(`127.0.0.1:${port}`, '2s'));
    // Three fetches apart: every rate over a minute then spans counters that moved.
    await pollUntil(
      'three bridge fetches in Prometheus',
      async () => {
        const cycles = await run('max(increase(baseten_bridge_cycles_total[1m]))');
        const rates = await run('sum(rate(baseten_time_in_async_queue_seconds_count[1m])) > 0');
        return Number(cycles[0]?.value[1]) >= 2 && rates.length > 0 ? true : undefined;
      },
      90_000,
      1_000,
    );
  }, 150_000);

  afterAll(async () => {
    if (acceptedEmpty.length > 0)
      process.stderr.write(`\nDashboard queries accepted empty:\n  ${acceptedEmpty.join('\n  ')}\n`);
    await prometheus?.stop();
    await bridge?.stop();
    await simulator?.close();
  });

  function excuse(q: DashboardQuery): string | undefined {
    const families = familiesOf(q.expr);
    const optional = families.find((f) => f in OPTIONAL_FAMILIES);
    return optional ? `optional: ${OPTIONAL_FAMILIES[optional]}` : undefined;
  }

  async function expectData(q: DashboardQuery, how: Interpolation): Promise<void> {
    const expr = interpolate(q.expr, how);
    const result = await run(expr); // throws on a query error
    const finite = result.filter((s) => Number.isFinite(Number(s.value[1])));
    if (finite.length > 0) return;
    const why = excuse(q);
    expect(why, `${q.dashboard} / ${q.panel} [${q.refId}] returned no data: ${expr}`).toBeDefined();
    acceptedEmpty.push(`${q.dashboard} / ${q.panel} [${q.refId}] (${why})`);
    expect(q.noValue, `${q.panel} must say why it is empty`).toMatch(/^No data: /);
  }

  const ALL: Interpolation = {
    variables: { environment: 'all', model_name: 'all', deployment_id: 'all', instance: 'all', target: 'all' },
  };

  it.each(queries.map((q) => [`${q.dashboard} / ${q.panel} [${q.refId}]`, q] as const))('%s', async (_name, q) => {
    await expectData(q, ALL);
  });

  it('variables list values from label_values, each filtered by the ones before it', async () => {
    const environments = await labelValues(MODEL_VARIABLE_QUERIES.environment, ALL);
    expect(environments).toEqual(expect.arrayContaining(['production', 'staging']));
    const production: Interpolation = { variables: { environment: ['production'], model_name: 'all' } };
    const names = await labelValues(MODEL_VARIABLE_QUERIES.model_name, production);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan((await labelValues(MODEL_VARIABLE_QUERIES.model_name, ALL)).length + 1);
    const deployments = await labelValues(MODEL_VARIABLE_QUERIES.deployment_id, {
      variables: { environment: ['production'], model_name: [names[0]!] },
      quotes: true,
    });
    expect(deployments.length).toBeGreaterThan(0);
    expect(await labelValues(BRIDGE_VARIABLE_QUERIES.instance, ALL)).toHaveLength(1);
    expect(await labelValues(BRIDGE_VARIABLE_QUERIES.target, ALL)).toEqual(['default']);
  });

  it(
    'model names with quotes, backslashes and non-ASCII survive selection ' +
      '(Grafana with prometheusSpecialCharsInLabelValues)',
    async () => {
      const names = await labelValues(MODEL_VARIABLE_QUERIES.model_name, ALL);
      expect(names.some((n) => n.includes('"'))).toBe(true);
      expect(names.some((n) => n.includes('\\'))).toBe(true);
      const how: Interpolation = {
        variables: { environment: 'all', model_name: names, deployment_id: 'all' },
        quotes: true,
      };
      for (const q of queries.filter((x) => x.expr.includes('$model_name'))) await expectData(q, how);
      // One model at a time: the filter selects that model and only it.
      for (const name of names) {
        const one: Interpolation = {
          variables: { environment: 'all', model_name: [name], deployment_id: 'all' },
          quotes: true,
        };
        const result = await run(interpolate(ONE_MODEL_QUERY, one));
        expect(result.map((s) => s.metric.model_name)).toEqual([name]);
      }
    },
  );

  it('with classic escaping (the toggle off), names without a double quote work too', async () => {
    const names = (await labelValues(MODEL_VARIABLE_QUERIES.model_name, ALL)).filter((n) => !n.includes('"'));
    for (const name of names) {
      const one: Interpolation = { variables: { environment: 'all', model_name: [name], deployment_id: 'all' } };
      const result = await run(interpolate(ONE_MODEL_QUERY, one));
      expect(result.map((s) => s.metric.model_name)).toEqual([name]);
    }
  });

  it("every recording and alerting rule evaluates without error on the bridge's real output", async () => {
    const rules = await pollUntil(
      'every rule evaluated once',
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
          data: { groups: Array<{ file: string; rules: Array<{ name: string; health: string; lastError?: string }> }> };
        };
        const all = body.data.groups.flatMap((g) => g.rules);
        return all.every((r) => r.health !== 'unknown') ? all : undefined;
      },
      20_000,
    );
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    expect(rules.length).toBeGreaterThan(30);
    const quantiles = await run('model:baseten_end_to_end_response_time_seconds:quantile_rate5m{quantile="0.95"}');
    expect(quantiles.length).toBeGreaterThan(0);
    const slo = await run('slo:sli_error:ratio_rate5m{slo="availability"}');
    expect(slo.length).toBeGreaterThan(0);
  });
});

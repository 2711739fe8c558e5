/**
 * A Baseten incident told truthfully (issue 22), with real parts: two simulated workspaces, the built bridge with
 * both as targets, and a real Prometheus scraping it every second with every shipped rule file loaded.
 * Workspace b goes through an incident as Baseten's look (500s, a connection reset mid-body, an HTML
 * maintenance page, 500s again) while a stays healthy:
 * - Prometheus reads b's traffic over the incident as no data, not as a flat line that rate() turns into zero;
 *   a's traffic is still there;
 * - once b's upstream recovers, the bridge serves fresh b data within two intervals;
 * - no shipped rule is in error with two targets (BasetenBridgeDataStale once was, for every bridge).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault, RunningSimulator } from '../../src/demo/index.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';
import { kitPrometheusConfig, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { startWorkspacesBridge, type WorkspacesBridge } from '../helpers/workspaces-bridge.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
/** The shortest interval Baseten's 6 requests per minute allow. */
const INTERVAL_MS = 10_000;

/**
 * The incident, phase by phase: each lasts until b's upstream has answered this many requests with it. About
 * 70 s in all: the simulator refreshes its values every 30 s (as Baseten does), so a's stored samples are 30 s
 * apart, and a rate needs two of them in its window.
 */
const INCIDENT: Array<{ fault: Fault; requests: number }> = [
  { fault: { kind: 'status', status: 500 }, requests: 2 },
  { fault: { kind: 'reset-mid-body' }, requests: 2 },
  { fault: { kind: 'html' }, requests: 2 },
  { fault: { kind: 'status', status: 500 }, requests: 2 },
];

interface RuleGroups {
  groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }> }>;
}

/** The value of one of the bridge's own series (they carry no timestamp) in a /metrics body. */
function ownValue(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1).split(' ')[0]);
}

describe.skipIf(!prometheusBin)('a Baseten incident, through a real Prometheus', () => {
  let workspaces: WorkspacesBridge;
  let simB: RunningSimulator;
  let prometheus: RunningPrometheus;
  const lastSuccess = async (target: string) =>
    ownValue(await workspaces.scrape(), `baseten_bridge_last_success_timestamp_seconds{target="${target}"}`) ?? 0;

  beforeAll(async () => {
    workspaces = await startWorkspacesBridge(['a', 'b'], {
      intervalSeconds: INTERVAL_MS / 1000,
      extraArgs: ['--log.level=debug'],
    });
    simB = workspaces.workspaces.get('b')!.simulator;
    prometheus = await startPrometheus(prometheusBin!, kitPrometheusConfig(workspaces.address, '1s'));
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await workspaces?.stop();
  });

  it('evaluates every shipped rule without an error against a bridge with two targets', async () => {
    // Every rule evaluated at least once with both targets' series present.
    const groups = await pollUntil(
      'every rule evaluated with both targets present',
      async () => {
        const present = await prometheus.query('count(baseten_bridge_max_staleness_seconds{job="baseten"})');
        if (Number(present[0]?.value[1] ?? 0) < 2) return undefined;
        const data = await prometheus.api<RuleGroups>('/api/v1/rules');
        const rules = data.groups.flatMap((g) => g.rules);
        return rules.every((r) => !r.lastEvaluation.startsWith('0001')) ? rules : undefined;
      },
      30_000,
    );
    expect(groups.length).toBeGreaterThanOrEqual(20);
    expect(groups.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  it(
    "reads b's traffic as no data through b's incident while a's is there, " +
      'and serves b again within two intervals of recovery',
    async () => {
      // Two good fetches of b stored first, so that its counters have a rate before the incident.
      await pollUntil(
        'two fetches of b stored',
        async () =>
          (await prometheus.query('count_over_time(baseten_bridge_last_success_timestamp_seconds{target="b"}[1m])'))
            .length > 0 && simB.requests.length >= 2
            ? true
            : undefined,
        30_000,
      );
      for (const phase of INCIDENT) {
        const before = simB.requests.length;
        await simB.setFault(phase.fault);
        await pollUntil(
          `${phase.requests} request(s) answered with ${phase.fault.kind}`,
          () => (simB.requests.length - before >= phase.requests ? true : undefined),
          4 * INTERVAL_MS,
        );
      }
      const lastGoodB = await lastSuccess('b');
      await simB.setFault(undefined);
      const recoveredAt = Date.now() / 1000;

      // Fresh data within two intervals of the upstream's recovery: the fetch that brings it starts by then
      // (its own time, the last success, is the fetch's start; reading and serving it take a moment more).
      const fetchedAt = await pollUntil(
        'a good fetch of b after the recovery',
        async () => {
          const at = await lastSuccess('b');
          return at >= recoveredAt ? at : undefined;
        },
        2 * INTERVAL_MS + 10_000,
        200,
      );
      expect(fetchedAt - recoveredAt).toBeLessThanOrEqual((2 * INTERVAL_MS) / 1000);
      process.stderr.write(
        `incident: b fetched fresh data ${(fetchedAt - recoveredAt).toFixed(1)} ` +
          `s after its upstream recovered (interval ${INTERVAL_MS / 1000} s)\n`,
      );

      // The window from just after b's last good fetch to the recovery: only the incident.
      const window = Math.floor(recoveredAt - lastGoodB - 1);
      expect(window).toBeGreaterThanOrEqual(65);
      const rate = (workspace: string) =>
        prometheus.query(
          `sum(rate(baseten_inference_requests_total{workspace="${workspace}"}[${window}s]))`,
          recoveredAt,
        );
      expect(await rate('b'), 'b: no data over its incident, not a rate of zero').toEqual([]);
      const a = await rate('a');
      expect(a).toHaveLength(1);
      expect(Number(a[0]!.value[1])).toBeGreaterThan(0);
    },
    150_000,
  );

  it('never prints either key', () => {
    const { bridge } = workspaces;
    for (const { key } of workspaces.workspaces.values())
      expect(leakFinder(key)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
  });
});

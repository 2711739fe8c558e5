/**
 * Every shipped rule in the shape the README supports beside the kit's own: a bridge with two targets (two
 * workspaces) scraped under a job that is not named `baseten`, the bridge's alerts generated for it with
 * `rules --alerts=bridge --bridge.selector='job="ml-platform"'`. A real Prometheus loads every shipped rule file
 * and that one; once each rule has evaluated with both targets' series present, none may be in error, and the
 * generated bridge alerts see the bridge (BasetenBridgeDown is not active: its `up` is there).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, runBridge } from '../helpers/bridge-process.js';
import { pollUntil } from '../helpers/poll.js';
import { kitPrometheusConfig, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { requireBinary } from '../helpers/require-binary.js';
import { startWorkspacesBridge, type WorkspacesBridge } from '../helpers/workspaces-bridge.js';

const prometheusBin = requireBinary('prometheus', 'prometheus');
const JOB = 'ml-platform';

interface Rule {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
  /** An alerting rule's: inactive, pending or firing. */
  state?: string;
}

describe.skipIf(!prometheusBin)(`every shipped rule, two targets, job "${JOB}"`, () => {
  let workspaces: WorkspacesBridge;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-rules-job-'));
    const generated = await runBridge(
      ['rules', '--alerts=bridge', `--bridge.selector=job="${JOB}"`],
      childEnv({}, dir),
    );
    expect(generated.code, generated.stderr).toBe(0);
    const bridgeAlerts = join(dir, 'bridge-alerts-ml-platform.yml');
    writeFileSync(bridgeAlerts, generated.stdout);
    workspaces = await startWorkspacesBridge(['prod', 'staging'], { intervalSeconds: 10 });
    prometheus = await startPrometheus(
      prometheusBin!,
      kitPrometheusConfig(workspaces.address, '1s', { job: JOB, extraRuleFiles: [bridgeAlerts] }),
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await workspaces?.stop();
  });

  it('evaluates every rule without an error, and the generated bridge alerts see the bridge', async () => {
    let presentSince = Infinity;
    const groups = await pollUntil(
      'every rule evaluated with both targets present',
      async () => {
        const present = await prometheus.query(`count(baseten_bridge_max_staleness_seconds{job="${JOB}"})`);
        if (Number(present[0]?.value[1] ?? 0) < 2) return undefined;
        presentSince = Math.min(presentSince, Date.now());
        const data = await prometheus.api<{ groups: Array<{ file: string; rules: Rule[] }> }>('/api/v1/rules');
        const evaluated = data.groups.every((g) => g.rules.every((r) => Date.parse(r.lastEvaluation) > presentSince));
        return evaluated ? data.groups : undefined;
      },
      30_000,
    );
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(20);
    expect(groups.some((g) => g.file.endsWith('bridge-alerts-ml-platform.yml'))).toBe(true);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    // The alerts generated for this job see a healthy bridge: none is active (an alert that selected another
    // job would find no `up` and go pending: BasetenBridgeDown's `absent`).
    const generated = groups.filter((g) => g.file.endsWith('bridge-alerts-ml-platform.yml')).flatMap((g) => g.rules);
    expect(generated.filter((r) => r.state !== undefined && r.state !== 'inactive').map((r) => r.name)).toEqual([]);
  });
});

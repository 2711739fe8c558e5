/**
 * Several workspaces in one bridge, with real parts: two simulated Baseten organizations (two keys), three
 * targets (two share a key, so they are one organization and one budget), the built CLI as a child process,
 * and promtool reading the merged /metrics. Budgets, labels, errors and staleness stay per target.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';
import { checkMetrics, promtool, promtoolAccepts } from '../exposition/promtool.js';

const value = (body: string, series: string): number | undefined => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('many workspaces: three targets, two organizations', () => {
  const orgA = generateApiKey();
  const orgB = generateApiKey();
  let simA: RunningSimulator;
  let simB: RunningSimulator;
  let bridge: BridgeProcess;
  let base: string;
  let dir: string;
  const scrape = async () => (await fetch(`${base}/metrics`)).text();

  beforeAll(async () => {
    simA = await startSimulator({ apiKey: orgA, deployments: 2 });
    simB = await startSimulator({ apiKey: orgB, deployments: 2, seed: 2 });
    dir = mkdtempSync(join(tmpdir(), 'bridge-many-'));
    writeFileSync(join(dir, 'org-a.key'), `${orgA}\n`);
    writeFileSync(join(dir, 'org-b.key'), `${orgB}\n`);
    writeFileSync(
      join(dir, 'bridge.yml'),
      [
        'targets:',
        '  - name: prod',
        `    url: ${simA.url}`,
        '    api_key_file: org-a.key',
        '    labels: { workspace: prod }',
        '  - name: prod-batch',
        `    url: ${simA.url}`,
        '    api_key_file: org-a.key',
        '    labels: { workspace: prod-batch }',
        '    metric_relabel_configs:',
        '      - { source_labels: [__name__], regex: "baseten_replicas_.*", action: keep }',
        '  - name: staging',
        `    url: ${simB.url}`,
        '    api_key_file: org-b.key',
        '    labels: { workspace: staging }',
        '    interval: 10s',
        '    timeout: 2s',
        '    max_staleness: 10s',
        '    max_requests_per_minute: 6',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [
        '--config.file=bridge.yml',
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.path=state',
        '--web.enable-lifecycle',
      ],
      childEnv({}, dir),
    );
    await pollUntil('every workspace on /metrics', async () => {
      const body = await scrape();
      return ['prod', 'prod-batch', 'staging'].every((w) => body.includes(`workspace="${w}"`)) ? true : undefined;
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await simA?.close();
    await simB?.close();
  });

  it('serves every target once, each series with its workspace, as one exposition promtool accepts', async () => {
    const body = await scrape();
    expect(body.match(/^# TYPE baseten_replicas_active /gm)).toHaveLength(1);
    // prod-batch keeps only the replica families its own rule keeps; prod keeps everything.
    expect(body).toMatch(/baseten_replicas_active\{[^}]*workspace="prod-batch"/);
    expect(body).not.toMatch(/baseten_inference_requests_total\{[^}]*workspace="prod-batch"/);
    expect(body).toMatch(/baseten_inference_requests_total\{[^}]*workspace="prod"/);
    if (promtool) {
      const result = checkMetrics(promtool, body);
      expect(promtoolAccepts(result), result.output).toBe(true);
    }
  });

  it('spends one budget for the two targets of one organization, another for the other', async () => {
    const body = await scrape();
    expect(simA.requests.length).toBe(2);
    expect(value(body, 'baseten_bridge_rate_budget_used{target="prod"}')).toBe(2);
    expect(value(body, 'baseten_bridge_rate_budget_used{target="prod-batch"}')).toBe(2);
    expect(value(body, 'baseten_bridge_rate_budget_used{target="staging"}')).toBeGreaterThanOrEqual(1);
    expect(value(body, 'baseten_bridge_rate_budget_limit{target="staging"}')).toBe(6);
    expect(value(body, 'baseten_bridge_rate_budget_limit{target="prod"}')).toBe(5);
  });

  it('keeps errors and staleness per target: a failing workspace goes stale, the others stay served', async () => {
    await simB.setFault({ kind: 'status', status: 500 });
    const down = await pollUntil('staging marked down', async () => {
      const body = await scrape();
      return value(body, 'baseten_bridge_upstream_up{target="staging"}') === 0 ? body : undefined;
    });
    expect(value(down, 'baseten_bridge_upstream_up{target="prod"}')).toBe(1);
    expect(value(down, 'baseten_bridge_fetch_failures_total{target="staging",reason="http_5xx"}')).toBeGreaterThan(0);
    expect(value(down, 'baseten_bridge_fetch_failures_total{target="prod",reason="http_5xx"}')).toBe(0);
    // Past staging's max_staleness (10s) its series leave /metrics; prod's stay.
    const stale = await pollUntil(
      'staging data no longer served',
      async () => {
        const body = await scrape();
        return body.includes('workspace="staging"') ? undefined : body;
      },
      30_000,
    );
    expect(stale).toContain('workspace="prod"');
    expect((await fetch(`${base}/-/ready`)).status).toBe(200);
  });

  it('shows every target on the status page, and the status page keys by prefix only', async () => {
    const status = (await (await fetch(`${base}/api/v1/status`)).json()) as {
      data: {
        targets: Array<{ name: string; budgetUsed: number }>;
        config: { targets: Array<{ target: string; api_key: { key: string } }> };
      };
    };
    expect(status.data.targets.map((t) => t.name)).toEqual(['prod', 'prod-batch', 'staging']);
    expect(status.data.config.targets.map((t) => t.target)).toEqual(['prod', 'prod-batch', 'staging']);
    expect(status.data.config.targets[0]!.api_key.key).toBe(`${orgA.slice(0, orgA.indexOf('.'))}.***`);
    const page = await (await fetch(`${base}/`)).text();
    expect(leakFinder(orgA)({ page, status: JSON.stringify(status) })).toEqual([]);
  });

  it('never prints either key', () => {
    expect(leakFinder(orgA)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
    expect(leakFinder(orgB)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
  });

  it('check-config lists the targets, and reports two targets that could serve the same series', async () => {
    const ok = await runBridge(['check-config', '--config.file=bridge.yml'], childEnv({}, dir));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('bridge.yml: OK: 3 target(s)');
    expect(ok.stdout).toMatch(
      new RegExp(
        String.raw`^ {2}prod-batch: upstream \S+ every 1m .*, 1 relabel ` +
          String.raw`rule\(s\), labels \{workspace="prod-batch"\}, key ` +
          String.raw`\S+\.\*\*\* from `,
        'm',
      ),
    );
    writeFileSync(
      join(dir, 'collide.yml'),
      [
        'targets:',
        '  - { name: prod, labels: { workspace: prod } }',
        '  - { name: prod-eu, labels: { region: eu } }',
        '',
      ].join('\n'),
    );
    const bad = await runBridge(
      ['check-config', '--config.file=collide.yml'],
      childEnv({ BASETEN_API_KEY: orgA }, dir),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('targets[1] ("prod-eu") could serve the same series as targets[0] ("prod")');
  });
});

describe('targets come and go with a reload', () => {
  const orgA = generateApiKey();
  const orgB = generateApiKey();
  let simA: RunningSimulator;
  let simB: RunningSimulator;
  let bridge: BridgeProcess;
  let base: string;
  let dir: string;
  const scrape = async () => (await fetch(`${base}/metrics`)).text();
  const target = (name: string, sim: RunningSimulator, keyFile: string) =>
    [
      `  - name: ${name}`,
      `    url: ${sim.url}`,
      `    api_key_file: ${keyFile}`,
      `    labels: { workspace: ${name} }`,
    ].join('\n');

  beforeAll(async () => {
    simA = await startSimulator({ apiKey: orgA, deployments: 1 });
    simB = await startSimulator({ apiKey: orgB, deployments: 1 });
    dir = mkdtempSync(join(tmpdir(), 'bridge-reload-'));
    writeFileSync(join(dir, 'a.key'), orgA);
    writeFileSync(join(dir, 'b.key'), orgB);
    writeFileSync(join(dir, 'bridge.yml'), `targets:\n${target('alpha', simA, 'a.key')}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [
        '--config.file=bridge.yml',
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.path=state',
        '--web.enable-lifecycle',
      ],
      childEnv({}, dir),
    );
    await pollUntil('alpha served', async () => ((await scrape()).includes('workspace="alpha"') ? true : undefined));
  });

  afterAll(async () => {
    await bridge?.stop();
    await simA?.close();
    await simB?.close();
  });

  it('starts a target added to the file, and stops serving one taken out of it', async () => {
    writeFileSync(
      join(dir, 'bridge.yml'),
      `targets:\n${target('alpha', simA, 'a.key')}\n${target('beta', simB, 'b.key')}\n`,
    );
    expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(200);
    await pollUntil('beta served beside alpha', async () => {
      const body = await scrape();
      return body.includes('workspace="beta"') && body.includes('workspace="alpha"') ? true : undefined;
    });
    // alpha kept its schedule: the reload did not make it fetch again.
    expect(simA.requests).toHaveLength(1);

    writeFileSync(join(dir, 'bridge.yml'), `targets:\n${target('beta', simB, 'b.key')}\n`);
    expect((await fetch(`${base}/-/reload`, { method: 'POST' })).status).toBe(200);
    const body = await pollUntil('alpha gone', async () => {
      const text = await scrape();
      return text.includes('workspace="alpha"') ? undefined : text;
    });
    expect(body).toContain('workspace="beta"');
    // Its own metrics went with it.
    await pollUntil('alpha gone from the bridge metrics', async () =>
      (await scrape()).includes('target="alpha"') ? undefined : true,
    );
  });

  it('refuses a reload whose targets collide, and keeps running the previous ones', async () => {
    writeFileSync(
      join(dir, 'bridge.yml'),
      `targets:\n${target('beta', simB, 'b.key')}\n  - { name: gamma, url: "${simA.url}", api_key_file: a.key }\n`,
    );
    const res = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('targets[1] ("gamma") could serve the same series as targets[0] ("beta")');
    expect(await scrape()).toContain('workspace="beta"');
  });
});

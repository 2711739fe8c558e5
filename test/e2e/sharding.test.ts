/**
 * Sharding with real processes: ten simulated workspaces, one config listing all ten, and three bridges
 * started with --shard=0/3, 1/3 and 2/3. Every workspace must be fetched and served by exactly one of them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/config/index.js';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';

const WORKSPACES = Array.from({ length: 10 }, (_, i) => `workspace-${i}`);
const SHARDS = 3;

describe('10 targets over 3 shards', () => {
  const simulators: RunningSimulator[] = [];
  const bridges: Array<{ process: BridgeProcess; base: string }> = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-shards-'));
    const lines = ['targets:'];
    for (const name of WORKSPACES) {
      const key = generateApiKey();
      const simulator = await startSimulator({ apiKey: key, deployments: 1 });
      simulators.push(simulator);
      writeFileSync(join(dir, `${name}.key`), key);
      lines.push(
        `  - { name: ${name}, url: "${simulator.url}", api_key_file: ${name}.key, labels: { workspace: ${name} } }`,
      );
    }
    writeFileSync(join(dir, 'bridge.yml'), `${lines.join('\n')}\n`);
    for (let i = 0; i < SHARDS; i++) {
      const port = await freePort();
      const process = spawnBridge(
        [
          '--config.file=bridge.yml',
          `--shard=${i}/${SHARDS}`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--storage.path=state-${i}`,
        ],
        childEnv({}, dir),
      );
      bridges.push({ process, base: `http://127.0.0.1:${port}` });
    }
    // Each shard is done once it serves all of its own targets.
    for (let i = 0; i < SHARDS; i++) {
      const mine = WORKSPACES.filter((w) => shardOf(w, SHARDS) === i);
      bodies[i] = await pollUntil(`shard ${i} serving its ${mine.length} targets`, async () => {
        const body = await (await fetch(`${bridges[i]!.base}/metrics`)).text();
        return mine.every((w) => body.includes(`workspace="${w}"`)) ? body : undefined;
      });
    }
  });

  afterAll(async () => {
    for (const b of bridges) await b.process.stop();
    for (const s of simulators) await s.close();
  });

  it('serves every workspace from exactly one shard', () => {
    for (const workspace of WORKSPACES) {
      const serving = bodies.filter((body) => body.includes(`workspace="${workspace}"`));
      expect(serving, workspace).toHaveLength(1);
    }
  });

  it('runs each target in one shard only: the others neither fetch it nor report it', () => {
    for (const [i, workspace] of WORKSPACES.entries()) {
      const reporting = bodies.filter((body) => body.includes(`baseten_bridge_upstream_up{target="${workspace}"}`));
      expect(reporting, workspace).toHaveLength(1);
      expect(simulators[i]!.requests.length, workspace).toBe(1);
    }
  });

  it('gives every replica some of the work', () => {
    for (const body of bodies) expect(body).toContain('workspace="workspace-');
  });
});

describe('a replica whose shard holds no targets', () => {
  let bridge: BridgeProcess;
  let base: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-empty-shard-'));
    // prod and research hash to 0, staging to 2: shard 1 of 3 has nothing to fetch.
    const names = ['prod', 'staging', 'research'];
    expect(names.map((n) => shardOf(n, 3))).toEqual([0, 2, 0]);
    const targets = names.map(
      (n) =>
        `  - { name: ${n}, url: "https://app.baseten.co/metrics", ` +
        `api_key_file: ${n}.key, labels: { workspace: ${n} } }`,
    );
    writeFileSync(join(dir, 'bridge.yml'), `targets:\n${targets.join('\n')}\n`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [
        '--config.file=bridge.yml',
        '--shard=baseten-bridge-1/3',
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.path=',
      ],
      childEnv({}, dir),
    );
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  it('is ready, says so on / and logged it at start', async () => {
    const ready = await pollUntil('/-/ready to answer', async () => await fetch(`${base}/-/ready`));
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('Ready: no target falls in this shard.\n');
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('ready: no target falls in this replica&#39;s shard');
    expect(page).toContain("No target of the config falls in this replica's shard: it is ready");
    expect(bridge.stderr()).toMatch(
      new RegExp(
        String.raw`level=info msg="this replica's shard holds no targets: ` +
          String.raw`ready, serving only the bridge's own metrics[^"]*" ` +
          String.raw`shard=1\/3 targets_in_shard=0 targets_in_config=3`,
      ),
    );
  });
});

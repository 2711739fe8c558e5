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
      lines.push(`  - { name: ${name}, url: "${simulator.url}", api_key_file: ${name}.key, labels: { workspace: ${name} } }`);
    }
    writeFileSync(join(dir, 'bridge.yml'), `${lines.join('\n')}\n`);
    for (let i = 0; i < SHARDS; i++) {
      const port = await freePort();
      const process = spawnBridge(['--config.file=bridge.yml', `--shard=${i}/${SHARDS}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.path=state-${i}`], childEnv({}, dir));
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

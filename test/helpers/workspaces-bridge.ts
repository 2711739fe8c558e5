/**
 * The built bridge with one target per simulated Baseten workspace (each its own simulator and key, its series
 * told apart by a `workspace` label, as the README's `targets:` example), on a loopback port, once every
 * target is served.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from './bridge-process.js';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

export interface WorkspacesBridge {
  bridge: BridgeProcess;
  /** host:port */
  address: string;
  /** Workspace name → its simulator and key. */
  workspaces: Map<string, { simulator: RunningSimulator; key: string }>;
  /** The bridge's /metrics body. */
  scrape(): Promise<string>;
  stop(): Promise<void>;
}

export async function startWorkspacesBridge(
  names: string[],
  { intervalSeconds, extraArgs = [] }: { intervalSeconds: number; extraArgs?: string[] },
): Promise<WorkspacesBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-workspaces-'));
  const workspaces = new Map<string, { simulator: RunningSimulator; key: string }>();
  const config = ['targets:'];
  for (const [i, name] of names.entries()) {
    const key = generateApiKey();
    const simulator = await startSimulator({ apiKey: key, deployments: 2, seed: i + 1 });
    workspaces.set(name, { simulator, key });
    writeFileSync(join(dir, `${name}.key`), key);
    config.push(
      `  - name: ${name}`,
      `    url: ${simulator.url}`,
      `    api_key_file: ${name}.key`,
      `    labels: { workspace: ${name} }`,
      `    interval: ${intervalSeconds}s`,
      '    timeout: 3s',
      '    max_requests_per_minute: 6',
    );
  }
  writeFileSync(join(dir, 'bridge.yml'), `${config.join('\n')}\n`);
  const address = `127.0.0.1:${await freePort()}`;
  const bridge = spawnBridge(
    ['--config.file=bridge.yml', `--web.listen-address=${address}`, '--storage.path=', ...extraArgs],
    childEnv({}, dir),
  );
  const scrape = async () => (await fetch(`http://${address}/metrics`)).text();
  await pollUntil('every target served', async () => {
    const body = await scrape();
    return names.every((name) => body.includes(`workspace="${name}"`)) ? true : undefined;
  });
  return {
    bridge,
    address,
    workspaces,
    scrape,
    async stop() {
      await bridge.stop();
      for (const { simulator } of workspaces.values()) await simulator.close();
    },
  };
}

/**
 * The outputs seam, proved with a small test output handed to startBridge beside the built-in ones (/metrics
 * and remote_write): it gets every good cycle's snapshot (the one its target then serves) and no failed one,
 * is reconfigured with this replica's targets on each reload (/-/reload and SIGHUP), and is closed with the
 * grace period at stop and with none when the start fails.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/flags.js';
import { startBridge, type RunningBridge } from '../../src/cli/run-server.js';
import { inShard, loadConfig, type TargetConfig } from '../../src/config/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import type { Output, ReplicaConfig } from '../../src/outputs/index.js';
import type { Snapshot } from '../../src/snapshot/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

const KEY = 'abcdefgh.0123456789abcdef0123456789abcdef';
const BODY = '# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_id="m1"} 2\n';

/** Records what the seam hands it. */
class ProbeOutput implements Output {
  readonly pushes: Array<{ target: string; snapshot: Snapshot }> = [];
  readonly reconfigured: string[][] = [];
  readonly closed: number[] = [];

  push(snapshot: Snapshot, target: TargetConfig): void {
    this.pushes.push({ target: target.name, snapshot });
  }

  reconfigure(next: ReplicaConfig): void {
    this.reconfigured.push(next.targets.map((t) => t.name));
  }

  async close(graceMs: number): Promise<void> {
    this.closed.push(graceMs);
  }
}

let good: TestServer;
let failing: TestServer;
let dir: string;

beforeAll(async () => {
  good = await startTestServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(BODY));
  failing = await startTestServer((_req, res) => res.writeHead(500).end());
  dir = mkdtempSync(join(tmpdir(), 'bridge-outputs-'));
  writeFileSync(join(dir, 'key'), `${KEY}\n`);
});

afterAll(async () => {
  await good.close();
  await failing.close();
});

/** A config file of targets named `names`; `broken` fetches from an upstream that answers 500. */
function writeConfig(names: string[]): string {
  const file = join(dir, 'bridge.yml');
  const target = (name: string) =>
    [
      `  - name: ${name}`,
      `    url: ${name === 'broken' ? failing.url : good.url}`,
      '    api_key_file: key',
      '    interval: 60s',
      `    labels: { workspace: ${name} }`,
    ].join('\n');
  writeFileSync(file, `targets:\n${names.map(target).join('\n')}\n`);
  return file;
}

async function start(probe: ProbeOutput, file: string, extra: string[] = []): Promise<RunningBridge> {
  const flags = parseFlags([
    `--config.file=${file}`,
    '--web.listen-address=127.0.0.1:0',
    '--web.enable-lifecycle',
    '--storage.path=',
    ...extra,
  ]);
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'error', format: 'logfmt', secrets, write: () => {} });
  return startBridge({ flags, config: loadConfig(file), logger, secrets, outputs: [probe] });
}

const lastError = (running: RunningBridge, name: string) =>
  running.targets.targets().find((t) => t.name === name)?.lastError;

describe('an output behind the seam', () => {
  it('gets every good cycle, is reconfigured on each reload and closed with the grace period at stop', async () => {
    const probe = new ProbeOutput();
    const running = await start(probe, writeConfig(['a', 'b', 'broken']));
    try {
      await pollUntil('a good cycle of a and b', () => (probe.pushes.length === 2 ? true : undefined));
      await pollUntil('the failed cycle of broken', () => lastError(running, 'broken'));
      // Each good cycle's snapshot is the one its target then serves; the failed cycle gave nothing.
      for (const bridge of running.targets.bridges().filter((b) => b.name !== 'broken'))
        expect(probe.pushes.find((p) => p.target === bridge.name)?.snapshot).toBe(bridge.store.last());
      expect(probe.pushes.map((p) => p.target).sort()).toEqual(['a', 'b']);
      expect(probe.reconfigured).toEqual([]);

      writeConfig(['a', 'b', 'broken', 'c']);
      const res = await fetch(`http://${running.address}/-/reload`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(probe.reconfigured).toEqual([['a', 'b', 'broken', 'c']]);
      await pollUntil('the first good cycle of c', () => (probe.pushes.length === 3 ? true : undefined));
      expect(probe.pushes[2]!.target).toBe('c');

      writeConfig(['b', 'c']);
      process.emit('SIGHUP', 'SIGHUP');
      await pollUntil('SIGHUP to reload', () => (probe.reconfigured.length === 2 ? true : undefined));
      expect(probe.reconfigured[1]).toEqual(['b', 'c']);
      expect(probe.closed).toEqual([]);
    } finally {
      await running.stop();
    }
    expect(probe.closed).toEqual([1_000]);
  });

  it("is configured with this replica's targets: the shard --shard chose", async () => {
    const probe = new ProbeOutput();
    const file = writeConfig(['prod', 'staging', 'dev', 'batch']);
    const mine = inShard(loadConfig(file).targets, { index: 1, count: 2 }).map((t) => t.name);
    expect(mine).toEqual(['prod', 'batch']);
    const running = await start(probe, file, ['--shard=1/2']);
    try {
      expect(running.targets.bridges().map((b) => b.name)).toEqual(mine);
      expect((await fetch(`http://${running.address}/-/reload`, { method: 'POST' })).status).toBe(200);
      expect(probe.reconfigured).toEqual([mine]);
    } finally {
      await running.stop();
    }
  });

  it.each<[string, () => Promise<string[]>]>([
    ['the web config cannot be read', async () => [`--web.config.file=${join(dir, 'missing-web.yml')}`]],
    ['the listen address is taken', async () => [`--web.listen-address=127.0.0.1:${await occupiedPort()}`]],
  ])('is closed with no grace period when the start fails: %s', async (_why, flagsFor) => {
    const probe = new ProbeOutput();
    await expect(start(probe, writeConfig(['a']), await flagsFor())).rejects.toThrow();
    expect(probe.closed).toEqual([0]);
    expect(probe.pushes).toEqual([]);
  });
});

const taken: Server[] = [];
afterAll(() => taken.forEach((server) => server.close()));

/** A loopback port some other server listens on. */
async function occupiedPort(): Promise<number> {
  const server = createServer();
  taken.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

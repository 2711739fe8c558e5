/** The long-running bridge as a process: reload (HTTP and SIGHUP) keeps a good config, SIGTERM exits 0. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, untilReady, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';

describe('baseten-bridge serving', () => {
  const key = generateApiKey();
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let base: string;
  let configFile: string;
  let good: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: key });
    const dir = mkdtempSync(join(tmpdir(), 'bridge-serve-'));
    configFile = join(dir, 'bridge.yml');
    writeFileSync(join(dir, 'key'), `${key}\n`);
    good = `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  timeout: 5s\n  api_key_file: key\n`;
    writeFileSync(configFile, good);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bridge = spawnBridge(
      [
        `--config.file=${configFile}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.format=json',
        '--web.enable-lifecycle',
      ],
      childEnv({}, dir),
    );
    await untilReady(base);
  });

  afterAll(async () => {
    await bridge?.stop();
    await simulator?.close();
  });

  const reloadGauge = async () =>
    /baseten_bridge_config_last_reload_successful (\d)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1];

  it('refuses an invalid config on POST /-/reload and keeps serving', async () => {
    writeFileSync(configFile, `${good}  intervall: 5s\n`);
    const res = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('upstream.intervall: unknown field (did you mean "interval"?)');
    expect(await reloadGauge()).toBe('0');
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('baseten_inference_requests_total{');
    expect((await fetch(`${base}/-/ready`)).status).toBe(200);
  });

  it('applies a good config on SIGHUP', async () => {
    writeFileSync(configFile, good);
    bridge.child.kill('SIGHUP');
    await pollUntil('reload to succeed', async () => ((await reloadGauge()) === '1' ? true : undefined));
  });

  it('logs JSON lines that never contain the key, and exits 0 on SIGTERM', async () => {
    const code = await bridge.stop('SIGTERM');
    expect(code).toBe(0);
    const lines = bridge.stderr().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((l) => JSON.parse(l).msg === 'config reload failed; the previous config keeps running')).toBe(
      true,
    );
    expect(leakFinder(key)({ stdout: bridge.stdout(), stderr: bridge.stderr() })).toEqual([]);
  });
});

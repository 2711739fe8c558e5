/**
 * Issue 15: one key rotation is one log line. Rewriting the key file (truncate, then write, as `echo > key`
 * and most tools do) used to log "cannot read the new API key" and then "API key changed". A real process.
 */
import { mkdtempSync, truncateSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { leakFinder } from '../helpers/leaks.js';
import { pollUntil } from '../helpers/poll.js';

describe('a key rotation', () => {
  const oldKey = generateApiKey();
  const newKey = generateApiKey();
  let simulator: RunningSimulator;
  let bridge: BridgeProcess;
  let dir: string;

  beforeAll(async () => {
    simulator = await startSimulator({ apiKey: oldKey });
    dir = mkdtempSync(join(tmpdir(), 'bridge-rotation-'));
    writeFileSync(join(dir, 'key'), `${oldKey}\n`, { mode: 0o600 });
    writeFileSync(
      join(dir, 'bridge.yml'),
      `upstream:\n  url: ${simulator.url}\n  interval: 15s\n  api_key_file: key\n`,
    );
    const port = await freePort();
    bridge = spawnBridge(
      ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path='],
      childEnv({}, dir),
    );
    await pollUntil('the first fetch', () =>
      bridge.stderr().includes('msg="fetched Baseten metrics"') ? true : undefined,
    );
  });

  afterAll(async () => {
    await bridge?.stop();
    await simulator?.close();
  });

  it('logs "API key changed" once, and no warning about a half-written file', async () => {
    // The two steps of a rewrite, with the empty file visible in between: the test's own watcher sees the
    // truncation (as the bridge's does) before the new key is written.
    const seen = new Promise<void>((resolve) => {
      const watcher = watch(dir, () => {
        watcher.close();
        resolve();
      });
    });
    truncateSync(join(dir, 'key'));
    await seen;
    writeFileSync(join(dir, 'key'), `${newKey}\n`);
    await pollUntil('the rotation to be seen', () => (bridge.stderr().includes('API key changed') ? true : undefined));
    // The re-fetch that follows a rotation is the next thing logged: after it, nothing else can come of this one.
    await pollUntil('the fetch with the new key', () => (simulator.requests.length >= 2 ? true : undefined));
    await pollUntil('its log line', () =>
      /fetch failed|fetched Baseten metrics again/.test(bridge.stderr()) ? true : undefined,
    );
    const log = bridge.stderr();
    expect(log.match(/API key changed/g)).toHaveLength(1);
    expect(log).toContain(
      `msg="API key changed" old_key=${oldKey.split('.')[0]}.*** new_key=${newKey.split('.')[0]}.***`,
    );
    expect(log).not.toContain('cannot read the new API key');
    expect(leakFinder(oldKey)({ log })).toEqual([]);
    expect(leakFinder(newKey)({ log })).toEqual([]);
  });
});

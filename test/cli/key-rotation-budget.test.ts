/**
 * The real process under key changes: a key file that flaps, and one ordinary rotation, never make the
 * bridge send more than max_requests_per_minute (the budget follows the target, not the key), and the
 * state stays one file.
 */
import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/demo/index.js';
import { childEnv, spawnBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { pollUntil } from '../helpers/poll.js';

let upstream: TestServer | undefined;
let bridge: BridgeProcess | undefined;
afterEach(async () => {
  await bridge?.stop();
  await upstream?.close();
  bridge = upstream = undefined;
});

async function start(
  limit: number,
  interval: string,
): Promise<{ dir: string; rotate: () => void; count: (text: string) => number }> {
  upstream = await startTestServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end('# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_name="m"} 1\n');
  });
  const dir = mkdtempSync(join(tmpdir(), 'bridge-flap-'));
  const keyFile = join(dir, 'key');
  // Written beside and renamed over, as editors and Kubernetes do: the watcher sees each change whole.
  const rotate = () => {
    writeFileSync(`${keyFile}.new`, generateApiKey(), { mode: 0o600 });
    renameSync(`${keyFile}.new`, keyFile);
  };
  rotate();
  writeFileSync(
    join(dir, 'bridge.yml'),
    `upstream:\n  url: ${upstream.url}\n  interval: ${interval}\n  ` +
      `timeout: 5s\n  max_requests_per_minute: ${limit}\n  api_key_file: key\n`,
  );
  const port = await freePort();
  bridge = spawnBridge(
    ['--config.file=bridge.yml', `--web.listen-address=127.0.0.1:${port}`, '--storage.path=state', '--log.level=debug'],
    childEnv({}, dir),
  );
  await pollUntil('the first fetch', () => (upstream!.requests.length > 0 ? true : undefined));
  const count = (text: string) =>
    bridge!
      .stderr()
      .split('\n')
      .filter((l) => l.includes(text)).length;
  return { dir, rotate, count };
}

describe('key changes and the rate budget (real process)', () => {
  it('a key file rewritten every 300 ms for 9 s: at most the limit of requests, one state file', async () => {
    const { dir, rotate, count } = await start(2, '30s');
    for (let i = 0; i < 30; i++) {
      rotate();
      await new Promise((r) => setTimeout(r, 300));
    }
    await pollUntil('the rotations to be picked up', () => (count('msg="API key changed"') >= 20 ? true : undefined));
    await pollUntil('attempts to be put off by the budget (or sent)', () =>
      count('rate budget used up; fetch put off') >= 3 || upstream!.requests.length > 2 ? true : undefined,
    );
    expect(upstream!.requests.length).toBeLessThanOrEqual(2);
    expect(readdirSync(join(dir, 'state'))).toEqual(['budgets.json']);
  });

  it('one rotation with the budget used up sends nothing until a slot frees', async () => {
    const { rotate, count } = await start(1, '60s');
    rotate();
    await pollUntil('the rotation to be picked up', () => (count('msg="API key changed"') >= 1 ? true : undefined));
    await pollUntil('the attempt it triggers to be put off (or sent)', () =>
      count('rate budget used up; fetch put off') >= 1 || upstream!.requests.length > 1 ? true : undefined,
    );
    expect(upstream!.requests).toHaveLength(1);
  });
});

/** The process's life: SIGTERM with a fetch in flight, and a restart loop that cannot spend more budget. */
import { readdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { childEnv, runBridge, spawnBridge } from '../helpers/bridge-process.js';
import { freePort } from '../helpers/free-port.js';
import { pollUntil } from '../helpers/poll.js';

let simulator: RunningSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

function configFor(url: string, extra = ''): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-life-'));
  const file = join(dir, 'bridge.yml');
  writeFileSync(file, `upstream:\n  url: ${url}\n  interval: 60s\n  timeout: 30s\n${extra}`);
  return { dir, file };
}

describe('lifecycle', () => {
  it('SIGTERM with a fetch hanging: answers scrapes until it stops, exits 0 within 10 s', async () => {
    const key = generateApiKey();
    simulator = await startSimulator({ apiKey: key, fault: { kind: 'hang' } });
    const { dir, file } = configFor(simulator.url);
    const port = await freePort();
    const bridge = spawnBridge(
      [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${port}`],
      childEnv({ BASETEN_API_KEY: key }, dir),
    );
    await pollUntil('the bridge to answer', async () =>
      (await fetch(`http://127.0.0.1:${port}/-/healthy`)).ok ? true : undefined,
    );
    await pollUntil('the fetch to be in flight', () => (simulator!.requests.length > 0 ? true : undefined));
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    const started = Date.now();
    const code = await bridge.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(bridge.stderr()).toContain('msg="shutting down" signal=SIGTERM');
    expect(bridge.stderr()).toContain('msg=stopped');
  });

  it('a loop of restarts (`once` runs) spends no more than the rate budget, thanks to --storage.path', async () => {
    const key = generateApiKey();
    simulator = await startSimulator({ apiKey: key });
    const { dir, file } = configFor(simulator.url, '  max_requests_per_minute: 3\n');
    const env = childEnv({ BASETEN_API_KEY: key }, dir);
    const codes: Array<number | null> = [];
    let refusal = '';
    for (let i = 0; i < 5; i++) {
      const run = await runBridge(['once', `--config.file=${file}`, `--storage.path=${join(dir, 'state')}`], env);
      codes.push(run.code);
      if (run.code !== 0) refusal = run.stderr;
    }
    expect(codes).toEqual([0, 0, 0, 1, 1]);
    expect(simulator.requests).toHaveLength(3);
    expect(refusal).toMatch(/once: the rate budget \(3 requests per minute\) is used up; try again in \d+s/);
    // One state file for every budget, naming keys by their public prefix only.
    expect(readdirSync(join(dir, 'state'))).toEqual(['budgets.json']);
    const text = readFileSync(join(dir, 'state', 'budgets.json'), 'utf8');
    expect(text).not.toContain(key.slice(key.indexOf('.') + 1));
    const state = JSON.parse(text) as { budgets: Array<{ targets: string[]; keys: string[]; requests: number[] }> };
    expect(state.budgets).toEqual([
      { targets: ['default'], keys: [key.slice(0, key.indexOf('.'))], requests: expect.any(Array) },
    ]);
    expect(state.budgets[0]!.requests).toHaveLength(3);
  });
});

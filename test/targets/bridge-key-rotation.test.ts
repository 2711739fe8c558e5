/**
 * Key changes and the rate budget, with the bridge's clock injected (the scheduler's loop is replayed here:
 * a rotation makes the next attempt due at once, as the key-file watcher does). Baseten's limit is per
 * organization and a rotated key is the same organization, so no window of 60 s may hold more requests
 * than max_requests_per_minute, however often the key changes, and the state stays one file.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import { generateApiKey } from '../../src/demo/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { BudgetPool, FileBudgetState } from '../../src/upstream/index.js';
import { Bridge } from '../../src/targets/index.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

let server: TestServer;
let clock = 1_700_000_000_000;
const sent: number[] = [];

beforeEach(async () => {
  sent.length = 0;
  server = await startTestServer((_req, res) => {
    sent.push(clock);
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end('# TYPE baseten_replicas_active gauge\nbaseten_replicas_active{model_name="m"} 1\n');
  });
});

afterEach(() => server.close());

/** The most requests in any 60 s window: each request starts a window. */
function busiestMinute(times: readonly number[]): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}

/**
 * Runs the target for `seconds` of injected time; `rotateAt(s)` says whether the key changes at second s.
 * Returns the storage folder.
 */
async function run(opts: {
  interval: string;
  limit: number;
  seconds: number;
  rotateAt: (second: number) => boolean;
}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-rotation-'));
  const env: NodeJS.ProcessEnv = { BASETEN_API_KEY: generateApiKey() };
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'error', format: 'logfmt', secrets, write: () => undefined });
  const config = buildConfig(
    { upstream: { url: server.url, interval: opts.interval, timeout: '2s', max_requests_per_minute: opts.limit } },
    'test',
    '/',
  ).targets[0]!;
  const budgets = new BudgetPool(() => clock, new FileBudgetState(dir, () => undefined));
  const bridge = new Bridge({
    config,
    logger,
    secrets,
    metrics: createBridgeMetrics(),
    budgets,
    keyLookup: { env, homeDir: '/nonexistent' },
    now: () => clock,
  });
  let nextDue = clock;
  for (let second = 0; second < opts.seconds; second++, clock += 1000) {
    if (second > 0 && opts.rotateAt(second)) {
      env.BASETEN_API_KEY = generateApiKey();
      nextDue = Math.min(nextDue, clock);
    }
    if (clock >= nextDue) nextDue = (await bridge.runCycle()).nextDueMs;
  }
  await bridge.close();
  return dir;
}

describe('the rate budget across key changes', () => {
  it(
    'a key that changes every second for two minutes spends no more than ' + 'the limit in any 60 s, in one state file',
    async () => {
      const dir = await run({ interval: '12s', limit: 5, seconds: 120, rotateAt: () => true });
      expect(busiestMinute(sent)).toBeLessThanOrEqual(5);
      // The budget is spent, not starved: the limit is reached in each minute.
      expect(sent.length).toBeGreaterThanOrEqual(10);
      expect(readdirSync(dir)).toEqual(['budgets.json']);
      const state = JSON.parse(readFileSync(join(dir, 'budgets.json'), 'utf8')) as {
        budgets: Array<{ targets: string[]; keys: string[] }>;
      };
      expect(state.budgets).toHaveLength(1);
      expect(state.budgets[0]!.targets).toEqual(['default']);
      expect(state.budgets[0]!.keys.length).toBeLessThanOrEqual(16);
    },
  );

  it('one ordinary rotation while the schedule uses the whole budget stays within it', async () => {
    await run({ interval: '10s', limit: 6, seconds: 300, rotateAt: (s) => s === 35 });
    expect(busiestMinute(sent)).toBeLessThanOrEqual(6);
    expect(sent.length).toBeGreaterThanOrEqual(29);
  });
});

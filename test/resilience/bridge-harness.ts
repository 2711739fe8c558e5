/**
 * An in-process bridge against the simulator over real loopback HTTP, with one fake clock shared by the
 * bridge (schedule, budget, staleness) and the simulator (its data and its rate limit). Attempts are driven
 * by the test: `runUntil` jumps the clock to each attempt's due time, as the scheduler would.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildConfig } from '../../src/config/index.js';
import { generateApiKey, startSimulator, type RunningSimulator } from '../../src/demo/index.js';
import { createLogger, SecretRegistry } from '../../src/log/index.js';
import { createBridgeMetrics, type BridgeMetrics } from '../../src/selfmetrics/bridge-metrics.js';
import { createApp } from '../../src/server/index.js';
import { FileBudgetState } from '../../src/upstream/index.js';
import { Bridge, type CycleOutcome } from '../../src/targets/index.js';

export interface Harness {
  key: string;
  clock: { now: number };
  simulator: RunningSimulator;
  bridge: Bridge;
  metrics: BridgeMetrics;
  logs: string[];
  base: string;
  /** Everything the bridge wrote to its --storage.path, concatenated. */
  stateFiles(): string;
  /** Runs attempts at their due times until `done` says so or `maxAttempts` ran. */
  runUntil(done: (o: CycleOutcome) => boolean, maxAttempts?: number): Promise<CycleOutcome[]>;
  /** Runs attempts at their due times until the clock passes `untilMs`. */
  runFor(ms: number): Promise<CycleOutcome[]>;
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startHarness(upstream: Record<string, unknown> = {}): Promise<Harness> {
  const key = generateApiKey();
  const clock = { now: Date.UTC(2026, 0, 1, 0, 0, 0) };
  const now = () => clock.now;
  const simulator = await startSimulator({ apiKey: key, now });
  const logs: string[] = [];
  const secrets = new SecretRegistry();
  const logger = createLogger({ level: 'debug', format: 'logfmt', secrets, write: (l) => logs.push(l) });
  const config = buildConfig(
    {
      upstream: {
        url: simulator.url,
        interval: '15s',
        timeout: '1s',
        max_staleness: '2m',
        body_size_limit: '8MiB',
        ...upstream,
      },
      metric_relabel_configs: [
        { source_labels: ['__name__'], regex: 'baseten_.+', target_label: 'team', replacement: 'ml' },
      ],
    },
    'fault-suite',
    '/',
  ).targets[0]!;
  const metrics = createBridgeMetrics();
  const stateDir = mkdtempSync(join(tmpdir(), 'bridge-state-'));
  const budgetState = new FileBudgetState(stateDir, (m) => logs.push(m));
  const bridge = new Bridge({
    config,
    logger,
    secrets,
    metrics,
    budgetState,
    keyLookup: { env: { BASETEN_API_KEY: key }, homeDir: '/nonexistent' },
    now,
    random: () => 0.5,
  });
  const app = createApp({
    telemetryPath: '/metrics',
    store: bridge.store,
    registry: metrics.registry,
    reload: async () => [],
    lifecycle: false,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nextDue = clock.now;

  const attempt = async (): Promise<CycleOutcome> => {
    clock.now = Math.max(clock.now, nextDue);
    const outcome = await bridge.runCycle();
    nextDue = outcome.nextDueMs;
    return outcome;
  };

  return {
    key,
    clock,
    simulator,
    bridge,
    metrics,
    logs,
    base,
    stateFiles: () =>
      readdirSync(stateDir)
        .map((f) => readFileSync(join(stateDir, f), 'utf8'))
        .join('\n'),
    async runUntil(done, maxAttempts = 20) {
      const outcomes: CycleOutcome[] = [];
      for (let i = 0; i < maxAttempts; i++) {
        const o = await attempt();
        outcomes.push(o);
        if (done(o)) return outcomes;
      }
      throw new Error(
        `no attempt satisfied the condition in ${maxAttempts}: ${outcomes.map((o) => o.reason ?? 'ok').join(', ')}`,
      );
    },
    async runFor(ms) {
      const until = clock.now + ms;
      const outcomes: CycleOutcome[] = [];
      while (Math.max(clock.now, nextDue) <= until) outcomes.push(await attempt());
      clock.now = until;
      return outcomes;
    },
    async metric(name, labels = {}) {
      const metric = metrics.registry.getSingleMetric(name);
      if (!metric) return undefined;
      const found = (await metric.get()).values.find((v) =>
        Object.entries(labels).every(([k, l]) => v.labels[k] === l),
      );
      return found?.value;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await simulator.close();
    },
  };
}

/** The most requests the simulator saw in any 60-second window. */
export function maxRequestsPerMinute(times: readonly number[]): number {
  let max = 0;
  for (const t of times) max = Math.max(max, times.filter((u) => u > t - 60_000 && u <= t).length);
  return max;
}

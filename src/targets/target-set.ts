/**
 * The targets this replica runs: one Bridge and one schedule per target (after sharding), the rate budgets
 * they share by key, and what the status page reads from them together. Each good cycle goes to
 * `onSnapshot` (startBridge hands it to every output, /metrics's merge among them). A reload adds, removes and
 * updates targets by name; a target whose config did not change keeps its cache, its budget and its schedule.
 */
import type { ResolvedKey, TargetConfig } from '../config/index.js';
import type { Logger, SecretRegistry } from '../log/index.js';
import type { DeploymentIdentity, RelabelConfig } from '../relabel/index.js';
import type { BridgeMetrics } from '../selfmetrics/index.js';
import type { CardinalityReport, StatusSource, TargetStatus } from '../status/index.js';
import type { Snapshot } from '../snapshot/index.js';
import { Scheduler, type BudgetPool } from '../upstream/index.js';
import { Bridge, type KeyEnvironment } from './bridge.js';

export interface TargetSetDeps {
  logger: Logger;
  secrets: SecretRegistry;
  metrics: BridgeMetrics;
  budgets: BudgetPool;
  /** Where the bridges look keys up besides each target's `api_key_file` (the demo: its generated key). */
  keyLookup?: KeyEnvironment;
  /** After each good cycle of any target (startBridge hands it to every output). */
  onSnapshot?: (snapshot: Snapshot, target: TargetConfig) => void;
}

/** How long a stopping target waits for its aborted cycle to settle. */
const STOP_WAIT_MS = 300;

interface Running {
  bridge: Bridge;
  scheduler: Scheduler;
}

export class TargetSet implements StatusSource {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: TargetSetDeps) {}

  /** Creates the bridges and reads each target's key: a key that cannot be read stops the start. */
  async create(targets: readonly TargetConfig[]): Promise<Array<{ target: TargetConfig; key: ResolvedKey }>> {
    const keys: Array<{ target: TargetConfig; key: ResolvedKey }> = [];
    for (const target of targets) {
      const bridge = this.newBridge(target);
      this.running.set(target.name, { bridge, scheduler: this.newScheduler(bridge) });
      try {
        keys.push({ target, key: bridge.readKey() });
      } catch (err) {
        await this.stop();
        throw err;
      }
    }
    return keys;
  }

  /** Starts every schedule; a rotated key file makes its target fetch again at once. */
  start(): void {
    for (const { bridge, scheduler } of this.running.values()) this.startOne(bridge, scheduler);
  }

  /** Applies a reloaded config: new targets start, removed ones stop, the others take their new config. */
  async apply(targets: readonly TargetConfig[]): Promise<void> {
    const wanted = new Set(targets.map((t) => t.name));
    for (const [name, { bridge, scheduler }] of this.running) {
      if (wanted.has(name)) continue;
      this.running.delete(name);
      bridge.stopWatchingKey();
      await scheduler.stop();
      await bridge.close(true);
      this.deps.logger.info('target removed', { target: name });
    }
    for (const target of targets) {
      const existing = this.running.get(target.name);
      if (existing) {
        existing.bridge.applyConfig(target);
        continue;
      }
      const bridge = this.newBridge(target);
      const scheduler = this.newScheduler(bridge);
      this.running.set(target.name, { bridge, scheduler });
      this.startOne(bridge, scheduler);
      this.deps.logger.info('target added', { target: target.name, upstream: target.upstream.url });
    }
  }

  bridges(): Bridge[] {
    return [...this.running.values()].map((r) => r.bridge);
  }

  /**
   * Stops every schedule and builder thread at once. A build in flight is not waited for: its thread is
   * terminated (a cold build of a large body takes seconds, and a stopping bridge must exit within 2 s), so
   * its cycle never settles; the fetch in flight is aborted and given a moment to settle.
   */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async ({ bridge, scheduler }) => {
        bridge.stopWatchingKey();
        const settled = scheduler.stop();
        await bridge.close();
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
      }),
    );
  }

  // The status page: every target's state; the relabel views show the first target's rules.

  targets(): TargetStatus[] {
    return this.bridges().flatMap((b) => b.status.targets());
  }

  cardinality(): CardinalityReport {
    const reports = this.bridges().map((b) => b.status.cardinality());
    if (reports.length === 1) return reports[0]!;
    const sum = (pick: (r: CardinalityReport) => Array<{ name: string; series: number }>) => {
      const totals = new Map<string, number>();
      for (const r of reports)
        for (const { name, series } of pick(r)) totals.set(name, (totals.get(name) ?? 0) + series);
      return [...totals].map(([name, series]) => ({ name, series })).sort((a, b) => b.series - a.series);
    };
    return {
      families: sum((r) => r.families),
      labels: sum((r) => r.labels),
      droppedByRule: reports[0]?.droppedByRule ?? [],
    };
  }

  relabelRules(): readonly RelabelConfig[] {
    return this.bridges()[0]?.status.relabelRules() ?? [];
  }

  identities(): ReadonlyArray<[string, DeploymentIdentity]> {
    return this.bridges()[0]?.status.identities() ?? [];
  }

  configView(): Record<string, unknown> {
    const views = this.bridges().map((b) => b.status.configView());
    return views.length === 1 ? views[0]! : { targets: views };
  }

  sampleSeries(limit: number): string[] {
    return this.bridges()[0]?.status.sampleSeries(limit) ?? [];
  }

  private newBridge(target: TargetConfig): Bridge {
    const { logger, secrets, metrics, budgets, keyLookup, onSnapshot } = this.deps;
    return new Bridge({
      config: target,
      logger,
      secrets,
      metrics,
      budgets,
      ...(keyLookup ? { keyLookup } : {}),
      ...(onSnapshot ? { onSnapshot } : {}),
    });
  }

  private newScheduler(bridge: Bridge): Scheduler {
    return new Scheduler({
      runAttempt: async (signal) => (await bridge.runCycle(signal)).nextDueMs,
      onError: (err) => {
        this.deps.logger.error('unexpected error in a fetch cycle; the schedule goes on', {
          target: bridge.name,
          err: this.deps.secrets.redact(err instanceof Error ? err.message : String(err)),
        });
        return Date.now() + bridge.currentConfig.upstream.intervalMs;
      },
      onTick: () => bridge.noticeFreshness(),
    });
  }

  private startOne(bridge: Bridge, scheduler: Scheduler): void {
    scheduler.start();
    bridge.watchKey(() => scheduler.runSoon());
  }
}

/**
 * The merged /metrics exposition as an output: each target's last good snapshot, served while it is not older
 * than that target's max_staleness, merged in the order the targets run (snapshot/merge.ts: each family once,
 * by copying slices, never compressing again). The merge is cached until one of the snapshots changes or goes
 * stale.
 */
import type { TargetConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { isFresh, mergeSnapshots, type MergedExposition, type Snapshot } from '../snapshot/index.js';
import type { Output, ReplicaConfig } from './output.js';

export interface MetricsOutputDeps {
  logger: Logger;
  now?: () => number;
}

export class MetricsOutput implements Output {
  /**
   * This replica's targets by name, in the order /metrics serves them: config order at start, then as
   * TargetSet.apply keeps them on a reload (a target keeps its place, an added one comes after the others).
   */
  private readonly targets = new Map<string, TargetConfig>();
  /** Each target's last good snapshot, by target name. */
  private readonly latest = new Map<string, Snapshot>();
  private merged: { from: readonly Snapshot[]; result: MergedExposition } | undefined;
  private readonly reportedConflicts = new Set<string>();
  private readonly now: () => number;

  constructor(
    replica: ReplicaConfig,
    private readonly deps: MetricsOutputDeps,
  ) {
    this.reconfigure(replica);
    this.now = deps.now ?? Date.now;
  }

  push(snapshot: Snapshot, target: TargetConfig): void {
    this.latest.set(target.name, snapshot);
  }

  /** A target the reload removed is no longer served; one it added is served from its first good cycle. */
  reconfigure(next: ReplicaConfig): void {
    const wanted = new Set(next.targets.map((t) => t.name));
    for (const name of this.targets.keys()) {
      if (wanted.has(name)) continue;
      this.targets.delete(name);
      this.latest.delete(name);
    }
    for (const target of next.targets) this.targets.set(target.name, target);
  }

  /** Nothing is queued: what is served stays until the server has closed. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** What /metrics serves: undefined before the first good cycle and while every target's data is stale. */
  servable(): { text: readonly Buffer[]; gzip: readonly Buffer[] } | undefined {
    const fresh: Snapshot[] = [];
    const names: string[] = [];
    const now = this.now();
    for (const target of this.targets.values()) {
      const snapshot = this.latest.get(target.name);
      if (!snapshot || !isFresh(snapshot, target.upstream.maxStalenessMs, now)) continue;
      fresh.push(snapshot);
      names.push(target.name);
    }
    if (fresh.length === 0) return undefined;
    const cached = this.merged;
    if (cached && cached.from.length === fresh.length && cached.from.every((s, i) => s === fresh[i]))
      return cached.result;
    const result = mergeSnapshots(fresh);
    this.merged = { from: fresh, result };
    this.reportConflicts(result, names);
    return result;
  }

  /** `names`: the targets of the merged snapshots, in the same order. */
  private reportConflicts(result: MergedExposition, names: readonly string[]): void {
    for (const { family, snapshot } of result.typeConflicts) {
      const target = names[snapshot]!;
      if (this.reportedConflicts.has(`${target}/${family}`)) continue;
      this.reportedConflicts.add(`${target}/${family}`);
      this.deps.logger.warn(
        'a family has another type in an earlier target; left out of /metrics for this target ' +
          '(check its metric_relabel_configs)',
        { target, family },
      );
    }
  }
}

/**
 * The bridge's StatusSource for the status page: what each attempt did (the last hour, in memory), the
 * target's state, the config as people may see it (the key as its prefix only), a few input series, and the
 * cardinality of the served data (counted by the snapshot builder).
 */
import { targetView, type ResolvedKey, type TargetConfig } from '../config/index.js';
import { keyPrefix } from '../log/index.js';
import type { CompiledRules, DeploymentIdentity, RelabelConfig } from '../relabel/index.js';
import type { CardinalityReport, CycleRecord, StatusSource, TargetStatus } from '../status/index.js';
import { LINE_SAMPLE, LineScanner } from '../exposition/index.js';
import type { Cardinality, SnapshotStore } from '../snapshot/index.js';
import { compileTargetRules } from './target-rules.js';

const HISTORY_MS = 3_600_000;
const SAMPLE_SERIES = 200;

export interface StatusInputs {
  config(): TargetConfig;
  store: SnapshotStore;
  budget(): { used: number; limit: number };
  key(): ResolvedKey | undefined;
  now: () => number;
}

export class BridgeStatus implements StatusSource {
  private readonly history: CycleRecord[] = [];
  private lastError: TargetStatus['lastError'];
  private next: { atMs: number; why: string } | undefined;
  private lastBytes: number | undefined;
  private series: string[] = [];
  private counts: Cardinality = { families: [], labels: [] };
  private droppedByRule: Array<[rule: number, series: number]> = [];
  private nothing: string | undefined;
  private unidentified: { series: number; deployments: string[] } = { series: 0, deployments: [] };
  private identityTable: ReadonlyArray<[string, DeploymentIdentity]> = [];
  private compiled: { from: TargetConfig; rules: CompiledRules } | undefined;

  constructor(private readonly inputs: StatusInputs) {}

  /** An attempt put off without a request (the rate budget): only when the next one is due changes. */
  putOff(next: { atMs: number; why: string }): void {
    this.next = next;
  }

  /** Called after every attempt that sent a request; `next`: when the next one is due, and why then. */
  record(
    entry: CycleRecord,
    next: { atMs: number; why: string },
    error?: { reason: string; message: string },
    bytes?: number,
  ): void {
    this.history.push(entry);
    const cutoff = this.inputs.now() - HISTORY_MS;
    while (this.history.length > 0 && this.history[0]!.atMs < cutoff) this.history.shift();
    this.next = next;
    if (bytes !== undefined) this.lastBytes = bytes;
    if (error) this.lastError = { ...error, atMs: entry.atMs };
  }

  /** What the last good cycle served (counted by the builder, off the event loop) and dropped per rule. */
  setCounts(counts: Cardinality, droppedByRule: Array<[rule: number, series: number]>): void {
    this.counts = counts;
    this.droppedByRule = droppedByRule;
  }

  /** What the last good cycle said of engine identity: the series left without, and the table when it changed. */
  setIdentities(
    unidentified: { series: number; deployments: string[] },
    table: ReadonlyArray<[string, DeploymentIdentity]> | undefined,
  ): void {
    this.unidentified = unidentified;
    if (table !== undefined) this.identityTable = table;
  }

  identities(): ReadonlyArray<[string, DeploymentIdentity]> {
    return this.inputs.config().upstream.engineIdentity ? this.identityTable : [];
  }

  /** Why the last good fetch served no series; undefined when it served some. */
  setServedNothing(why: string | undefined): void {
    this.nothing = why;
  }

  /** Keeps the first series lines of a good body (names and labels as Baseten sent them, no values). */
  keepSeries(body: Buffer): void {
    const lines: string[] = [];
    const scanner = new LineScanner(body);
    for (let kind = scanner.next(); kind !== -1 && lines.length < SAMPLE_SERIES; kind = scanner.next()) {
      if (kind === LINE_SAMPLE && scanner.seriesEnd > scanner.first)
        lines.push(body.toString('utf8', scanner.first, scanner.seriesEnd));
    }
    this.series = lines;
  }

  targets(): TargetStatus[] {
    const { store } = this.inputs;
    const budget = this.inputs.budget();
    const config = this.inputs.config();
    const url = new URL(config.upstream.url);
    const last = store.last();
    const latest = this.history.at(-1);
    const status: TargetStatus = {
      name: config.name,
      url: `${url.protocol}//${url.host}${url.pathname}`,
      up: latest?.ok ?? false,
      maxStalenessSeconds: config.upstream.maxStalenessMs / 1000,
      budgetUsed: budget.used,
      budgetLimit: budget.limit,
      history: [...this.history],
    };
    if (last) {
      status.lastSuccessMs = last.fetchedAtMs;
      status.seriesScraped = last.seriesScraped;
      status.seriesServed = last.seriesServed;
    }
    if (this.nothing !== undefined) status.servedNothing = this.nothing;
    if (this.unidentified.series > 0) status.engineWithoutIdentity = this.unidentified;
    const age = store.ageSeconds();
    if (age !== undefined) status.dataAgeSeconds = age;
    if (this.lastError) status.lastError = this.lastError;
    if (this.next !== undefined) {
      status.nextFetchMs = this.next.atMs;
      status.nextFetchReason = this.next.why;
    }
    if (latest) status.lastDurationMs = latest.durationMs;
    if (this.lastBytes !== undefined) status.lastResponseBytes = this.lastBytes;
    return [status];
  }

  cardinality(): CardinalityReport {
    if (!this.inputs.store.last()) return { families: [], labels: [], droppedByRule: [] };
    const dropped = new Map(this.droppedByRule);
    const droppedByRule = this.rules().map((rule, index) => ({
      index,
      action: rule.action ?? 'replace',
      dropped: dropped.get(index) ?? 0,
    }));
    const ranked = (entries: Array<[string, number]>) =>
      entries.map(([name, series]) => ({ name, series })).sort((a, b) => b.series - a.series);
    return { families: ranked(this.counts.families), labels: ranked(this.counts.labels), droppedByRule };
  }

  relabelRules(): readonly RelabelConfig[] {
    return this.rules();
  }

  /** The rules as they take effect (defaults filled in), compiled once per config. */
  private rules(): readonly RelabelConfig[] {
    const config = this.inputs.config();
    if (this.compiled?.from !== config) this.compiled = { from: config, rules: compileTargetRules(config) };
    return this.compiled.rules.source;
  }

  configView(): Record<string, unknown> {
    const config = this.inputs.config();
    const key = this.inputs.key();
    // The rules last: the longest part.
    const { metric_relabel_configs: rules, ...target } = targetView(config);
    return {
      origin: config.origin,
      ...target,
      api_key: key ? { key: keyPrefix(key.key), source: key.source } : 'not read yet',
      metric_relabel_configs: rules,
    };
  }

  sampleSeries(limit: number): string[] {
    return this.series.slice(0, limit);
  }
}

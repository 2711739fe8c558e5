/**
 * The bridge's StatusSource for the status page: what each attempt did (the last hour, in memory), the
 * target's state, the config as people may see it (the key as its prefix only), a few input series, and the
 * cardinality of the served data (computed from the last snapshot when the page asks, once per snapshot).
 */
import { parseExposition } from './exposition/index.js';
import type { Config, ResolvedKey } from './config/index.js';
import { keyPrefix } from './log/index.js';
import type { RelabelConfig } from './relabel/index.js';
import type { CardinalityReport, CycleRecord, StatusSource, TargetStatus } from './server/status-source.js';
import type { RateBudget } from './upstream/index.js';
import type { Snapshot, SnapshotStore } from './snapshot/index.js';

const HISTORY_MS = 3_600_000;
const SAMPLE_SERIES = 200;

export interface StatusInputs {
  config(): Config;
  store: SnapshotStore;
  budget: RateBudget;
  key(): ResolvedKey | undefined;
  now: () => number;
}

export class BridgeStatus implements StatusSource {
  private readonly history: CycleRecord[] = [];
  private lastError: TargetStatus['lastError'];
  private nextFetchMs: number | undefined;
  private lastBytes: number | undefined;
  private series: string[] = [];
  private cardinalityOf: { snapshot: Snapshot; report: CardinalityReport } | undefined;
  private droppedByRule: Array<[rule: number, series: number]> = [];

  constructor(private readonly inputs: StatusInputs) {}

  /** Called after every attempt that sent a request. */
  record(entry: CycleRecord, nextFetchMs: number, error?: { reason: string; message: string }, bytes?: number): void {
    this.history.push(entry);
    const cutoff = this.inputs.now() - HISTORY_MS;
    while (this.history.length > 0 && this.history[0]!.atMs < cutoff) this.history.shift();
    this.nextFetchMs = nextFetchMs;
    if (bytes !== undefined) this.lastBytes = bytes;
    if (error) this.lastError = { ...error, atMs: entry.atMs };
  }

  /** Per relabel rule, the series it dropped in the last good cycle. */
  setDroppedByRule(counts: Array<[rule: number, series: number]>): void {
    this.droppedByRule = counts;
  }

  /** Keeps the first series lines of a good body (names and labels as Baseten sent them, no values). */
  keepSeries(body: Buffer): void {
    const lines: string[] = [];
    let pos = 0;
    while (lines.length < SAMPLE_SERIES && pos < body.length) {
      let end = body.indexOf(0x0a, pos);
      if (end < 0) end = body.length;
      const line = body.toString('utf8', pos, end).trim();
      pos = end + 1;
      if (line === '' || line.startsWith('#')) continue;
      const cut = line.lastIndexOf('}');
      lines.push(cut > 0 ? line.slice(0, cut + 1) : line.split(/\s/)[0]!);
    }
    this.series = lines;
  }

  targets(): TargetStatus[] {
    const { store, budget } = this.inputs;
    const config = this.inputs.config();
    const url = new URL(config.upstream.url);
    const last = store.last();
    const latest = this.history.at(-1);
    const status: TargetStatus = {
      name: 'default',
      url: `${url.protocol}//${url.host}${url.pathname}`,
      up: latest?.ok ?? false,
      maxStalenessSeconds: config.upstream.maxStalenessMs / 1000,
      budgetUsed: budget.used(),
      budgetLimit: budget.limit,
      history: [...this.history],
    };
    if (last) {
      status.lastSuccessMs = last.fetchedAtMs;
      status.seriesScraped = last.seriesScraped;
      status.seriesServed = last.seriesServed;
    }
    const age = store.ageSeconds();
    if (age !== undefined) status.dataAgeSeconds = age;
    if (this.lastError) status.lastError = this.lastError;
    if (this.nextFetchMs !== undefined) status.nextFetchMs = this.nextFetchMs;
    if (latest) status.lastDurationMs = latest.durationMs;
    if (this.lastBytes !== undefined) status.lastResponseBytes = this.lastBytes;
    return [status];
  }

  cardinality(): CardinalityReport {
    const snapshot = this.inputs.store.last();
    if (!snapshot) return { families: [], labels: [], droppedByRule: [] };
    if (this.cardinalityOf?.snapshot !== snapshot) this.cardinalityOf = { snapshot, report: countSeries(snapshot) };
    const counts = new Map(this.droppedByRule);
    const droppedByRule = this.inputs.config().relabel.source.map((rule, index) => ({ index, action: rule.action ?? 'replace', dropped: counts.get(index) ?? 0 }));
    return { ...this.cardinalityOf.report, droppedByRule };
  }

  relabelRules(): readonly RelabelConfig[] {
    return this.inputs.config().relabel.source;
  }

  configView(): Record<string, unknown> {
    const config = this.inputs.config();
    const { tls, ...upstream } = config.upstream;
    const key = this.inputs.key();
    return {
      origin: config.origin,
      upstream: { ...upstream, tls: { caFile: tls.caFile, insecureSkipVerify: tls.insecureSkipVerify } },
      api_key: key ? { key: keyPrefix(key.key), source: key.source } : 'not read yet',
      metric_relabel_configs: config.relabel.source,
    };
  }

  sampleSeries(limit: number): string[] {
    return this.series.slice(0, limit);
  }
}

/** Series per family and per label name in what is served. */
function countSeries(snapshot: Snapshot): CardinalityReport {
  const parsed = parseExposition(snapshot.text.toString('utf8'));
  const labels = new Map<string, number>();
  const families = parsed.families.map((f) => {
    for (const s of f.samples) for (const [name] of s.labels) labels.set(name, (labels.get(name) ?? 0) + 1);
    return { name: f.name, series: f.samples.length };
  });
  const byCount = (a: { series: number }, b: { series: number }) => b.series - a.series;
  return {
    families: families.sort(byCount),
    labels: [...labels].map(([name, series]) => ({ name, series })).sort(byCount),
    droppedByRule: [],
  };
}

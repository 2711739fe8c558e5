/**
 * What the status page and its JSON API read from the running bridge. The bridge implements it; the server
 * only reads it (it never calls upstream). Every string here came from upstream or config and must be escaped
 * before it is put in HTML.
 */
import type { DeploymentIdentity, RelabelConfig } from '../relabel/index.js';

/** One finished fetch attempt, for the sparkline (the last hour is kept in memory). */
export interface CycleRecord {
  atMs: number;
  ok: boolean;
  durationMs: number;
  /** Set when the attempt failed. */
  reason?: string;
  seriesServed?: number;
}

export interface TargetStatus {
  /** `default` for the single `upstream:` form. */
  name: string;
  /** Scheme, host and path of the upstream; never credentials. */
  url: string;
  up: boolean;
  lastSuccessMs?: number;
  dataAgeSeconds?: number;
  maxStalenessSeconds: number;
  lastError?: { reason: string; message: string; atMs: number };
  nextFetchMs?: number;
  /** Why the next fetch is due then: `interval`, `quick_retry`, `retry_after`, `rate_limited_backoff` or `budget`. */
  nextFetchReason?: string;
  budgetUsed: number;
  budgetLimit: number;
  lastDurationMs?: number;
  lastResponseBytes?: number;
  seriesScraped?: number;
  seriesServed?: number;
  /** Engine series of the last good fetch served without an identity (their deployment had no platform series). */
  engineWithoutIdentity?: { series: number; deployments: string[] };
  /** Why the last good fetch served no series, when it served none. */
  servedNothing?: string;
  /** Oldest first; at most one hour. */
  history: CycleRecord[];
}

export interface CardinalityReport {
  /** Families after relabeling, most series first. */
  families: Array<{ name: string; series: number }>;
  /** Label names after relabeling, by how many series carry them, most first. */
  labels: Array<{ name: string; series: number }>;
  /** Per relabel rule of the running config: how many series it dropped in the last good cycle. */
  droppedByRule: Array<{ index: number; action: string; dropped: number }>;
}

export interface StatusSource {
  targets(): TargetStatus[];
  cardinality(): CardinalityReport;
  /** The running config's metric_relabel_configs, with defaults filled in. */
  relabelRules(): readonly RelabelConfig[];
  /**
   * The deployments' identities the last good fetch stated (relabel/engine-identity.ts), attached to pasted
   * engine series as the pipeline attaches them; empty when the target attaches none.
   */
  identities(): ReadonlyArray<[deploymentId: string, identity: DeploymentIdentity]>;
  /** The running config as shown to people: the key only as its prefix and where it came from. */
  configView(): Record<string, unknown>;
  /** Up to `limit` series lines (text format, no value) from the last good fetch, as read from Baseten. */
  sampleSeries(limit: number): string[];
}

/**
 * One target's bridge: its config, key source, rate budget (shared with targets that use the same key), upstream
 * client, snapshot builder and snapshot store, and the attempt that connects them (key → budget → fetch →
 * snapshot → swap). An attempt
 * is all or nothing: a failure of any kind leaves the last good snapshot in place, counts the reason and
 * logs it once per change; its result decides when the next attempt is due.
 */
import os from 'node:os';
import { ApiKeyError, KeySource, type KeyLookup, type ResolvedKey, type TargetConfig } from '../config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from '../log/index.js';
import { BridgeStatus } from './bridge-status.js';
import type { BridgeMetrics, TargetMetrics } from '../selfmetrics/index.js';
import { BuilderClient, describeLine, SnapshotStore, type BuildFailureReason, type BuildOptions, type BuildSuccess, type Snapshot } from '../snapshot/index.js';
import {
  BudgetPool,
  nextAttemptDelay,
  NO_BUDGET_STATE,
  type RateBudget,
  UpstreamClient,
  type BudgetState,
  type FetchFailureReason,
  type FetchSuccess,
  type ReceivedBody,
} from '../upstream/index.js';

export const HELP_SUFFIX = '(cached from Baseten by baseten-metrics-bridge)';

/** Why a good fetch served nothing, in words: Baseten sent nothing, or which reasons dropped everything. */
function servedNothing(scraped: number, dropped: ReadonlyMap<string, number>): string {
  if (scraped === 0) return 'Baseten sent no series (no deployment has reported metrics yet?)';
  const reasons = [...dropped].filter(([, n]) => n > 0).map(([reason, n]) => `${n} ${reason}`);
  const hint = dropped.get('invalid_name') ? 'a relabel rule writes a label name text format cannot carry (check-config names it)' : 'check metric_relabel_configs';
  return `all ${scraped} series were dropped (${reasons.join(', ')}); ${hint}; try them with relabel-test --trace`;
}

export interface BridgeDeps {
  config: TargetConfig;
  logger: Logger;
  secrets: SecretRegistry;
  metrics: BridgeMetrics;
  /** Where keys are looked up besides the target's `api_key_file`: process.env and the home folder by default. */
  keyLookup?: KeyEnvironment;
  now?: () => number;
  random?: () => number;
  /** The rate budgets by key, shared by all targets of the process; a private pool by default. */
  budgets?: BudgetPool;
  /** For the private pool: where request times survive a restart; none by default. */
  budgetState?: BudgetState;
  /** Called after each good cycle with the new snapshot (the server re-merges targets, remote_write sends it). */
  onSnapshot?: (snapshot: Snapshot, target: TargetConfig) => void;
}

/** What a key lookup reads besides the target's own `api_key_file` (the demo's generated key is one of them). */
export type KeyEnvironment = Partial<Omit<KeyLookup, 'apiKeyFile'>>;

/** Why a cycle served nothing new: the fetch's reasons and the build's. */
export type FailureReason = FetchFailureReason | BuildFailureReason;

export interface CycleOutcome {
  ok: boolean;
  /** `budget`: no request was sent, the rate budget was used up. */
  reason?: FailureReason | 'key' | 'budget';
  message?: string;
  /** When the next attempt is due (ms since the epoch). */
  nextDueMs: number;
}

export class Bridge {
  readonly store: SnapshotStore;
  /** What the status page shows. */
  readonly status: BridgeStatus;
  private config: TargetConfig;
  private readonly metrics: TargetMetrics;
  private readonly budgets: BudgetPool;
  private client: UpstreamClient;
  private readonly builder: BuilderClient;
  private readonly keys: KeySource;
  private failures = 0;
  private lastProblem: string | undefined;
  private everSucceeded = false;
  private servingNothing = false;
  private keyInUse: ResolvedKey | undefined;
  /**
   * The last body accepted as it came (compressed), what its build made, and how many keys it was checked
   * against: a fetch that brings the same bytes again is served from it, as the builder would (Baseten
   * refreshes every 30 s, so at a shorter interval most bodies repeat). `configs` counts applyConfig calls.
   */
  private accepted: { received: ReceivedBody; built: BuildSuccess; keys: number } | undefined;
  private configs = 0;
  private readonly now: () => number;

  constructor(private readonly deps: BridgeDeps) {
    this.now = deps.now ?? Date.now;
    this.config = deps.config;
    this.client = this.makeClient(deps.config);
    this.builder = new BuilderClient(deps.config.relabel, this.buildOptions(deps.config));
    this.store = new SnapshotStore(() => this.config.upstream.maxStalenessMs, this.now);
    this.budgets = deps.budgets ?? new BudgetPool(this.now, deps.budgetState ?? NO_BUDGET_STATE);
    this.keys = this.makeKeySource();
    this.status = new BridgeStatus({ config: () => this.config, store: this.store, budget: () => this.budgetFacts(), key: () => this.keyInUse, now: this.now });
    this.metrics = deps.metrics.forTarget(deps.config.name, {
      dataAgeSeconds: () => this.store.ageSeconds(),
      budgetUsed: () => this.budgetFacts().used,
      budgetLimit: () => this.budgetFacts().limit,
      maxStalenessSeconds: () => this.config.upstream.maxStalenessMs / 1000,
    });
  }

  get name(): string {
    return this.config.name;
  }

  get currentConfig(): TargetConfig {
    return this.config;
  }

  /** The budget this target spends, once it has run. */
  budgetFacts(): { used: number; limit: number } {
    const budget = this.budgets.of(this.config.name);
    return budget ? { used: budget.used(), limit: budget.limit } : { used: 0, limit: this.config.upstream.maxRequestsPerMinute };
  }

  /** The target's budget follows it across key changes, and is shared with targets on the same key. */
  private budgetFor(key: string): RateBudget {
    return this.budgets.forTarget(this.config.name, key, this.config.upstream.maxRequestsPerMinute);
  }

  /** Swaps in a config that already loaded cleanly; the served snapshot stays until the next good cycle. */
  applyConfig(next: TargetConfig): void {
    this.config = next;
    this.client = this.makeClient(next);
    this.builder.configure(next.relabel, this.buildOptions(next));
    this.configs++;
    this.accepted = undefined;
    if (this.keyInUse) this.budgetFor(this.keyInUse.key);
  }

  /** Reads the key from its source (anew each time, so a rotated key file is picked up). */
  readKey(): ResolvedKey {
    return this.keys.read();
  }

  /** Re-reads the key when its file changes; `changed` runs after a rotation. */
  watchKey(changed: () => void): void {
    this.keys.watchFile(changed);
  }

  stopWatchingKey(): void {
    this.keys.unwatch();
  }

  /** One attempt. Never throws; says when the next attempt is due. */
  async runCycle(shutdown?: AbortSignal): Promise<CycleOutcome> {
    const { metrics } = this;
    const intervalMs = this.config.upstream.intervalMs;
    let key: ResolvedKey;
    try {
      key = this.readKey();
    } catch (err) {
      const message = err instanceof ApiKeyError ? err.message : 'api key: cannot be read';
      return this.failed('key', message, undefined, this.now() + intervalMs);
    }
    const budget = this.budgetFor(key.key);
    if (!budget.tryAcquire()) {
      metrics.budgetExhausted();
      const nextDueMs = budget.nextFreeAt();
      this.deps.logger.debug('rate budget used up; fetch put off', { used: budget.used(), limit: budget.limit, next_in_ms: nextDueMs - this.now(), target: this.config.name });
      return { ok: false, reason: 'budget', nextDueMs };
    }
    this.keyInUse = key;
    metrics.cycle();
    const endTimer = metrics.fetchTimer();
    // A body accepted before a key was added was not checked for that key: it must be read again.
    const accepted = this.accepted?.keys === this.deps.secrets.keyCount ? this.accepted : undefined;
    const result = await this.client.fetch(key.key, shutdown, accepted?.received);
    metrics.upstreamRequest(result.status === undefined ? 'none' : String(result.status));
    if (result.bytes > 0) metrics.responseBytes(result.bytes);
    // Before anything keeps or builds from the body: a key in it must reach neither /metrics, remote_write
    // (it only sends what was built) nor the status page's series picker. A repeated body was checked when accepted.
    const fresh = result.ok && !result.repeated;
    const leaked = fresh ? this.deps.secrets.keyIn(result.body) : undefined;
    if (fresh && leaked === undefined) this.status.keepSeries(result.body);
    let outcome: CycleOutcome;
    if (!result.ok) outcome = this.failed(result.reason, result.message, result.retryAfterMs);
    else if (leaked !== undefined) outcome = this.failed('key_in_body', `upstream: the body contains the API key ${keyPrefix(leaked)} (an upstream or proxy that echoes the Authorization header?); nothing of it is served`);
    else outcome = await this.accept(result, intervalMs, accepted);
    endTimer();
    const record = { atMs: result.startedAtMs, ok: outcome.ok, durationMs: Math.max(0, this.now() - result.startedAtMs), ...(outcome.reason ? { reason: outcome.reason } : {}), ...(outcome.ok ? { seriesServed: this.store.last()?.seriesServed ?? 0 } : {}) };
    this.status.record(record, outcome.nextDueMs, outcome.ok ? undefined : { reason: outcome.reason ?? 'unknown', message: outcome.message ?? '' }, result.bytes);
    if (outcome.reason === 'auth') this.afterAuthFailure(key, outcome);
    return outcome;
  }

  private async accept(result: FetchSuccess, intervalMs: number, accepted: Bridge['accepted']): Promise<CycleOutcome> {
    const { metrics } = this;
    const { logger } = this.deps;
    const configs = this.configs;
    const keys = this.deps.secrets.keyCount;
    // A repeated body is what the builder does with a body equal to its last one: that snapshot, fetched now.
    const built =
      result.repeated && accepted !== undefined
        ? { ...accepted.built, snapshot: Object.freeze({ ...accepted.built.snapshot, fetchedAtMs: result.startedAtMs }), newSeries: 0, unchanged: true }
        : await this.builder.build(result.body, result.contentType, result.startedAtMs);
    const spare = this.builder.takeSpare();
    if (spare !== undefined) this.client.reuse(spare);
    for (const line of built.invalidLines) metrics.invalidLine(line.kind);
    if (!built.ok) return this.failed(built.reason, built.message);
    // Not across a reload during the cycle: the next body is built under the new config.
    if (result.received !== undefined && configs === this.configs) this.accepted = { received: result.received, built, keys };
    if (built.invalidLines.length > 0) {
      logger.warn('skipped invalid lines in the upstream body', { count: built.invalidLines.length, first: describeLine(built.invalidLines[0]!), target: this.config.name });
    }
    const { snapshot } = built;
    this.store.swap(snapshot);
    this.deps.onSnapshot?.(snapshot, this.config);
    for (const [reason, n] of built.dropped) metrics.seriesDropped(reason, n);
    this.status.setCounts(built.cardinality, built.droppedByRule);
    metrics.upstreamUp(1);
    metrics.lastSuccess(result.startedAtMs / 1000);
    metrics.seriesScraped(snapshot.seriesScraped);
    metrics.seriesAfterRelabel(snapshot.seriesServed);
    const facts = { series_scraped: snapshot.seriesScraped, series_served: snapshot.seriesServed, bytes: result.bytes, duration_ms: result.durationMs, new_series: built.newSeries, unchanged: built.unchanged, target: this.config.name };
    const nothing = snapshot.seriesServed === 0 ? servedNothing(snapshot.seriesScraped, built.dropped) : undefined;
    this.status.setServedNothing(nothing);
    if (nothing !== undefined) {
      metrics.emptyFetch();
      // Said when it starts, not every cycle: a good fetch that serves nothing is a config problem, not an outage.
      if (!this.servingNothing) logger.warn(`a good fetch served no series: ${nothing}`, facts);
    } else if (this.servingNothing) logger.info('series are served again', facts);
    this.servingNothing = nothing !== undefined;
    if (this.lastProblem !== undefined) logger.info('fetched Baseten metrics again', { ...facts, recovered_from: this.lastProblem });
    else if (!this.everSucceeded) logger.info('fetched Baseten metrics', facts);
    else logger.debug('cycle done', facts);
    this.everSucceeded = true;
    this.lastProblem = undefined;
    this.failures = 0;
    return { ok: true, nextDueMs: result.startedAtMs + intervalMs };
  }

  private failed(reason: FailureReason | 'key', message: string, retryAfterMs?: number, nextDueMs?: number): CycleOutcome {
    const { metrics } = this;
    const { logger } = this.deps;
    metrics.upstreamUp(0);
    // A missing key is counted as `auth`: from the outside it is the same, a fetch that cannot authenticate.
    metrics.fetchFailure(reason === 'key' ? 'auth' : reason);
    this.failures++;
    // Logged once per change of reason, not once per attempt.
    if (reason !== this.lastProblem) {
      // Before the first good fetch there is no last good data to serve: say so, not that it is being served.
      logger.warn(this.store.last() ? 'fetch failed; serving the last good data while it is fresh' : 'fetch failed; no data yet, /metrics serves only the bridge\'s own metrics', {
        reason,
        err: message,
        ...(reason === 'auth' && this.keyInUse ? { key: keyPrefix(this.keyInUse.key), key_source: this.keyInUse.source } : {}),
        data_age_seconds: this.store.ageSeconds()?.toFixed(0) ?? 'none',
        target: this.config.name,
      });
      this.lastProblem = reason;
    }
    const delay = nextAttemptDelay({ ok: false, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, this.failures, this.config.upstream.intervalMs, this.deps.random);
    return { ok: false, reason, message, nextDueMs: nextDueMs ?? this.now() + delay };
  }

  /** After a 401/403 the key source is read again at once: a rotated key recovers without waiting. */
  private afterAuthFailure(used: ResolvedKey, outcome: CycleOutcome): void {
    try {
      if (this.readKey().key !== used.key) outcome.nextDueMs = this.now();
    } catch {
      // The next attempt reads it again.
    }
  }

  private makeKeySource(): KeySource {
    const { logger, secrets, keyLookup } = this.deps;
    return new KeySource(
      () => ({ env: process.env, homeDir: os.homedir(), ...keyLookup, apiKeyFile: this.config.upstream.apiKeyFile }),
      {
        seen: (key) => secrets.addKey(key),
        rotated: (oldKey, newKey, source) => {
          this.metrics.apiKeyReload();
          logger.info('API key changed', { old_key: keyPrefix(oldKey), new_key: keyPrefix(newKey), source, target: this.config.name });
        },
        kept: (reason) => logger.warn('cannot read the new API key; keeping the previous one', { err: reason, target: this.config.name }),
        advice: (message, source) => logger.warn(message, { source, target: this.config.name }),
      },
    );
  }

  private buildOptions(config: TargetConfig): BuildOptions {
    const up = config.upstream;
    const limits = { sampleLimit: up.sampleLimit, labelLimit: up.labelLimit, labelNameLengthLimit: up.labelNameLengthLimit, labelValueLengthLimit: up.labelValueLengthLimit };
    return { limits, maxInvalidLineRatio: up.maxInvalidLineRatio, helpSuffix: HELP_SUFFIX };
  }

  /** Stops the builder thread; with `forget`, the target's series leave the bridge's own metrics. */
  async close(forget = false): Promise<void> {
    await this.builder.close();
    if (forget) {
      this.deps.metrics.removeTarget(this.config.name);
      this.budgets.release(this.config.name);
    }
  }

  private makeClient(config: TargetConfig): UpstreamClient {
    const up = config.upstream;
    return new UpstreamClient({
      url: up.url,
      timeoutMs: up.timeoutMs,
      connectTimeoutMs: up.connectTimeoutMs,
      bodySizeLimitBytes: up.bodySizeLimitBytes,
      authScheme: up.authScheme,
      tls: { ...(up.tls.ca !== undefined ? { ca: up.tls.ca } : {}), insecureSkipVerify: up.tls.insecureSkipVerify },
      now: this.now,
    });
  }
}

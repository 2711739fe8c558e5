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
import {
  BuilderClient,
  describeLine,
  SnapshotStore,
  type BuildFailureReason,
  type BuildOptions,
  type BuildResult,
  type Snapshot,
} from '../snapshot/index.js';
import {
  BudgetPool,
  failureRun,
  nextAttempt,
  NO_BUDGET_STATE,
  type FailureRun,
  type NextAttemptReason,
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
  const hint = dropped.get('invalid_name')
    ? 'a relabel rule writes a label name text format cannot carry (check-config names it)'
    : 'check metric_relabel_configs';
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
  /** Called after each good cycle with the new snapshot (startBridge hands it to every output). */
  onSnapshot?: (snapshot: Snapshot, target: TargetConfig) => void;
  /**
   * One fetch for a command that serves nothing (once, check-config --probe, rules --probe): a failure is
   * logged without what /metrics serves.
   */
  oneShot?: boolean;
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
  /** When the next attempt is due (ms since the epoch), and why then. */
  nextDueMs: number;
  nextWhy: NextAttemptReason;
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
  /** The run of consecutive failures of one kind (upstream/backoff.ts failureRun) the last attempts made. */
  private run: { kind: FailureRun; count: number } | undefined;
  private lastProblem: string | undefined;
  /** Whether the last look found the target's data servable (fresh), to say when that changes. */
  private serving = false;
  private everSucceeded = false;
  /** The data went stale once: its return is said. */
  private wentStale = false;
  private servingNothing = false;
  private keyInUse: ResolvedKey | undefined;
  /**
   * The last good body as it came (compressed), how many keys it was checked against, and the builder that
   * built it: a fetch that brings the same bytes again is served as that body again (builder.repeat), not
   * decompressed and read (Baseten refreshes every 30 s, so at a shorter interval most bodies repeat).
   * `configs` counts applyConfig calls.
   */
  private accepted: { received: ReceivedBody; keys: number; builder: number } | undefined;
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
    this.status = new BridgeStatus({
      config: () => this.config,
      store: this.store,
      budget: () => this.budgetFacts(),
      key: () => this.keyInUse,
      now: this.now,
    });
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
    return budget
      ? { used: budget.used(), limit: budget.limit }
      : { used: 0, limit: this.config.upstream.maxRequestsPerMinute };
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
      return this.failed('key', message);
    }
    const budget = this.budgetFor(key.key);
    if (!budget.tryAcquire()) {
      metrics.budgetExhausted();
      const nextDueMs = budget.nextFreeAt();
      this.deps.logger.debug('rate budget used up; fetch put off', {
        used: budget.used(),
        limit: budget.limit,
        next_in_ms: nextDueMs - this.now(),
        target: this.config.name,
      });
      this.status.putOff({ atMs: nextDueMs, why: 'budget' });
      return { ok: false, reason: 'budget', nextDueMs, nextWhy: 'budget' };
    }
    this.keyInUse = key;
    metrics.cycle();
    const endTimer = metrics.fetchTimer();
    // A body accepted before a key was added was not checked for that key, and a builder started since (its
    // thread exited) knows no last body: then it must be read again.
    const accepted =
      this.accepted?.keys === this.deps.secrets.keyCount && this.accepted.builder === this.builder.generation
        ? this.accepted
        : undefined;
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
    else if (leaked !== undefined)
      outcome = this.failed(
        'key_in_body',
        `upstream: the body contains the API key ${keyPrefix(leaked)} (an ` +
          `upstream or proxy that echoes the Authorization header?); nothing of it is served`,
      );
    else outcome = await this.accept(result, intervalMs, accepted);
    endTimer();
    const record = {
      atMs: result.startedAtMs,
      ok: outcome.ok,
      durationMs: Math.max(0, this.now() - result.startedAtMs),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.ok ? { seriesServed: this.store.last()?.seriesServed ?? 0 } : {}),
    };
    this.status.record(
      record,
      { atMs: outcome.nextDueMs, why: outcome.nextWhy },
      outcome.ok ? undefined : { reason: outcome.reason ?? 'unknown', message: outcome.message ?? '' },
      result.bytes,
    );
    if (outcome.reason === 'auth') this.afterAuthFailure(key, outcome);
    return outcome;
  }

  private async accept(result: FetchSuccess, intervalMs: number, accepted: Bridge['accepted']): Promise<CycleOutcome> {
    const { metrics } = this;
    const { logger } = this.deps;
    const configs = this.configs;
    const keys = this.deps.secrets.keyCount;
    const builder = this.builder.generation;
    // A repeated body is the builder's last good body, fetched now.
    const built: BuildResult =
      result.repeated && accepted !== undefined
        ? await this.builder.repeat(result.startedAtMs)
        : await this.builder.build(result.body, result.contentType, result.startedAtMs);
    const spare = this.builder.takeSpare();
    if (spare !== undefined) this.client.reuse(spare);
    for (const line of built.invalidLines) metrics.invalidLine(line.kind);
    if (!built.ok) return this.failed(built.reason, built.message);
    // The builder's last good body is now this one: remembered as it came, when it came compressed, and not
    // across a reload during the cycle (the next body is built under the new config).
    if (!result.repeated)
      this.accepted =
        result.received !== undefined && configs === this.configs && builder === this.builder.generation
          ? { received: result.received, keys, builder }
          : undefined;
    if (built.invalidLines.length > 0) {
      logger.warn('skipped invalid lines in the upstream body', {
        count: built.invalidLines.length,
        first: describeLine(built.invalidLines[0]!),
        target: this.config.name,
      });
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
    if (this.config.upstream.engineIdentity) metrics.engineSeriesWithoutIdentity(built.unidentified.series);
    this.status.setIdentities(built.unidentified, built.identities);
    const facts = {
      series_scraped: snapshot.seriesScraped,
      series_served: snapshot.seriesServed,
      bytes: result.bytes,
      duration_ms: result.durationMs,
      new_series: built.newSeries,
      unchanged: built.unchanged,
      target: this.config.name,
    };
    const nothing = snapshot.seriesServed === 0 ? servedNothing(snapshot.seriesScraped, built.dropped) : undefined;
    this.status.setServedNothing(nothing);
    if (nothing !== undefined) {
      metrics.emptyFetch();
      // Said when it starts, not every cycle: a good fetch that serves nothing is a config problem, not an outage.
      if (!this.servingNothing) logger.warn(`a good fetch served no series: ${nothing}`, facts);
    } else if (this.servingNothing) logger.info('series are served again', facts);
    this.servingNothing = nothing !== undefined;
    if (this.lastProblem !== undefined)
      logger.info('fetched Baseten metrics again', { ...facts, recovered_from: this.lastProblem });
    else if (!this.everSucceeded) logger.info('fetched Baseten metrics', facts);
    else logger.debug('cycle done', facts);
    this.everSucceeded = true;
    this.lastProblem = undefined;
    this.run = undefined;
    this.noticeFreshness();
    return { ok: true, nextDueMs: result.startedAtMs + intervalMs, nextWhy: 'interval' };
  }

  private failed(reason: FailureReason | 'key', message: string, retryAfterMs?: number): CycleOutcome {
    const { metrics } = this;
    const { logger } = this.deps;
    const up = this.config.upstream;
    metrics.upstreamUp(0);
    // A missing key is counted as `auth`: from the outside it is the same, a fetch that cannot authenticate.
    metrics.fetchFailure(reason === 'key' ? 'auth' : reason);
    const kind = failureRun(reason);
    this.run = this.run?.kind === kind ? { kind, count: this.run.count + 1 } : { kind, count: 1 };
    const age = this.store.ageSeconds();
    const freshForMs = age === undefined ? undefined : up.maxStalenessMs - age * 1000;
    const timing = {
      intervalMs: up.intervalMs,
      timeoutMs: up.timeoutMs,
      maxStalenessMs: up.maxStalenessMs,
      freshForMs,
    };
    const next = nextAttempt(
      { ok: false, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
      this.run.count,
      timing,
      this.deps.random,
    );
    // Logged once per change of reason, not once per attempt; a builder that failed is logged every time.
    if (reason !== this.lastProblem || reason === 'builder_failed') {
      logger[reason === 'builder_failed' ? 'error' : 'warn'](this.failureWords(reason), {
        reason,
        err: message,
        ...(reason === 'auth' && this.keyInUse
          ? { key: keyPrefix(this.keyInUse.key), key_source: this.keyInUse.source }
          : {}),
        data_age_seconds: age?.toFixed(0) ?? 'none',
        // A one-shot command makes no next attempt.
        ...(this.deps.oneShot
          ? {}
          : { next_attempt_in: `${Math.round(next.delayMs / 1000)}s`, next_attempt: next.why }),
        target: this.config.name,
      });
      this.lastProblem = reason;
    }
    return { ok: false, reason, message, nextDueMs: this.now() + next.delayMs, nextWhy: next.why };
  }

  /**
   * A failure in words that fit what the process does: a one-shot command serves nothing; a server serves its
   * last good data while it is fresh, stale data no more, or (before the first good fetch) only its own metrics.
   */
  private failureWords(reason: FailureReason | 'key'): string {
    const what = reason === 'builder_failed' ? 'cycle failed: the snapshot builder failed' : 'fetch failed';
    if (this.deps.oneShot) return what;
    if (this.store.servable()) return `${what}; serving the last good data while it is fresh`;
    // Before the first good fetch there is no last good data to serve: say so, not that it is being served.
    if (this.store.last()) return `${what}; the last good data is stale and no longer served`;
    return `${what}; no data yet, /metrics serves only the bridge's own metrics`;
  }

  /**
   * Says when the target's data stops being served (older than max_staleness) and when it is served again.
   * Called after every swap and every second by the schedule (the data goes stale between attempts).
   */
  noticeFreshness(): void {
    const serving = this.store.servable() !== undefined;
    if (serving === this.serving) return;
    this.serving = serving;
    const { logger } = this.deps;
    const facts = { max_staleness: `${this.config.upstream.maxStalenessMs / 1000}s`, target: this.config.name };
    if (!serving)
      logger.warn(
        'the last good data is now older than max_staleness: its series are no longer served until a fetch succeeds',
        { ...facts, last_error: this.lastProblem ?? 'none' },
      );
    else if (this.everSucceeded && this.wentStale)
      logger.info('data is fresh again: its series are served again', facts);
    this.wentStale ||= !serving;
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
          logger.info('API key changed', {
            old_key: keyPrefix(oldKey),
            new_key: keyPrefix(newKey),
            source,
            target: this.config.name,
          });
        },
        kept: (reason) =>
          logger.warn('cannot read the new API key; keeping the previous one', {
            err: reason,
            target: this.config.name,
          }),
        advice: (message, source) => logger.warn(message, { source, target: this.config.name }),
      },
    );
  }

  private buildOptions(config: TargetConfig): BuildOptions {
    return { ...config.upstream, helpSuffix: HELP_SUFFIX };
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
    return new UpstreamClient({ ...config.upstream, now: this.now });
  }
}

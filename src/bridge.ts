/**
 * One bridge: a config, a key source, the rate budget, the upstream client, the relabel cache and the
 * snapshot store, and the attempt that connects them (key → budget → fetch → snapshot → swap). An attempt
 * is all or nothing: a failure of any kind leaves the last good snapshot in place, counts the reason and
 * logs it once per change; its result decides when the next attempt is due.
 */
import os from 'node:os';
import { ApiKeyError, KeySource, type Config, type ResolvedKey } from './config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from './log/index.js';
import { BridgeStatus } from './bridge-status.js';
import type { BridgeMetrics } from './selfmetrics/bridge-metrics.js';
import { BuilderClient, describeLine, SnapshotStore, type BuildOptions } from './snapshot/index.js';
import {
  nextAttemptDelay,
  NO_BUDGET_STATE,
  RateBudget,
  UpstreamClient,
  type BudgetState,
  type FailureReason,
  type FetchSuccess,
} from './upstream/index.js';

export const HELP_SUFFIX = '(cached from Baseten by baseten-metrics-bridge)';

export interface BridgeDeps {
  config: Config;
  logger: Logger;
  secrets: SecretRegistry;
  metrics: BridgeMetrics;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  now?: () => number;
  random?: () => number;
  /** Where request times survive a restart; none by default. */
  budgetState?: BudgetState;
  /** For the demo: a key held in memory rather than looked up. */
  fixedKey?: ResolvedKey;
}

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
  readonly budget: RateBudget;
  private config: Config;
  private client: UpstreamClient;
  private readonly builder: BuilderClient;
  private readonly keys: KeySource | undefined;
  private failures = 0;
  private lastProblem: string | undefined;
  private everSucceeded = false;
  private keyInUse: ResolvedKey | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: BridgeDeps) {
    this.now = deps.now ?? Date.now;
    this.config = deps.config;
    this.client = this.makeClient(deps.config);
    this.builder = new BuilderClient(deps.config.relabel, deps.config.relabelRaw, this.buildOptions(deps.config));
    this.store = new SnapshotStore(() => this.config.upstream.maxStalenessMs, this.now);
    const state = deps.budgetState ?? NO_BUDGET_STATE;
    this.budget = new RateBudget(deps.config.upstream.maxRequestsPerMinute, this.now, state.load(this.now()), (times) => state.save(times));
    this.keys = deps.fixedKey ? undefined : this.makeKeySource();
    this.status = new BridgeStatus({ config: () => this.config, store: this.store, budget: this.budget, key: () => this.keyInUse, now: this.now });
    if (deps.fixedKey) deps.secrets.add(deps.fixedKey.key);
    deps.metrics.readFactsFrom({
      dataAgeSeconds: () => this.store.ageSeconds(),
      budgetUsed: () => this.budget.used(),
      budgetLimit: () => this.budget.limit,
      maxStalenessSeconds: () => this.config.upstream.maxStalenessMs / 1000,
    });
  }

  get currentConfig(): Config {
    return this.config;
  }

  /** Swaps in a config that already loaded cleanly; the served snapshot stays until the next good cycle. */
  applyConfig(next: Config): void {
    this.config = next;
    this.client = this.makeClient(next);
    this.builder.configure(next.relabel, next.relabelRaw, this.buildOptions(next));
    this.budget.setLimit(next.upstream.maxRequestsPerMinute);
  }

  /** Reads the key from its source (anew each time, so a rotated key file is picked up). */
  readKey(): ResolvedKey {
    return this.deps.fixedKey ?? this.keys!.read();
  }

  /** Re-reads the key when its file changes; `changed` runs after a rotation. */
  watchKey(changed: () => void): void {
    this.keys?.watchFile(changed);
  }

  stopWatchingKey(): void {
    this.keys?.unwatch();
  }

  /** One attempt. Never throws; says when the next attempt is due. */
  async runCycle(shutdown?: AbortSignal): Promise<CycleOutcome> {
    const { metrics } = this.deps;
    const intervalMs = this.config.upstream.intervalMs;
    let key: ResolvedKey;
    try {
      key = this.readKey();
    } catch (err) {
      const message = err instanceof ApiKeyError ? err.message : 'api key: cannot be read';
      return this.failed('key', message, undefined, this.now() + intervalMs);
    }
    if (!this.budget.tryAcquire()) {
      metrics.budgetExhausted.inc();
      const nextDueMs = this.budget.nextFreeAt();
      this.deps.logger.debug('rate budget used up; fetch put off', { used: this.budget.used(), limit: this.budget.limit, next_in_ms: nextDueMs - this.now() });
      return { ok: false, reason: 'budget', nextDueMs };
    }
    this.keyInUse = key;
    metrics.cycles.inc();
    const endTimer = metrics.fetchDuration.startTimer();
    const result = await this.client.fetch(key.key, shutdown);
    metrics.upstreamRequests.inc({ code: result.status === undefined ? 'none' : String(result.status) });
    if (result.bytes > 0) metrics.responseBytes.set(result.bytes);
    if (result.ok) this.status.keepSeries(result.body);
    const outcome = result.ok ? await this.accept(result, intervalMs) : this.failed(result.reason, result.message, result.retryAfterMs);
    endTimer();
    const record = { atMs: result.startedAtMs, ok: outcome.ok, durationMs: Math.max(0, this.now() - result.startedAtMs), ...(outcome.reason ? { reason: outcome.reason } : {}), ...(outcome.ok ? { seriesServed: this.store.last()?.seriesServed ?? 0 } : {}) };
    this.status.record(record, outcome.nextDueMs, outcome.ok ? undefined : { reason: outcome.reason ?? 'unknown', message: outcome.message ?? '' }, result.bytes);
    if (outcome.reason === 'auth') this.afterAuthFailure(key, outcome);
    return outcome;
  }

  private async accept(result: FetchSuccess, intervalMs: number): Promise<CycleOutcome> {
    const { metrics, logger } = this.deps;
    const built = await this.builder.build(result.body, result.contentType, result.startedAtMs);
    for (const line of built.invalidLines) metrics.invalidLines.inc({ kind: line.kind });
    if (!built.ok) return this.failed(built.reason, built.message);
    if (built.invalidLines.length > 0) {
      logger.warn('skipped invalid lines in the upstream body', { count: built.invalidLines.length, first: describeLine(built.invalidLines[0]!) });
    }
    const { snapshot } = built;
    this.store.swap(snapshot);
    for (const [reason, n] of built.dropped) metrics.seriesDropped.inc({ reason }, n);
    this.status.setCounts(built.cardinality, built.droppedByRule);
    metrics.upstreamUp.set(1);
    metrics.lastSuccess.set(result.startedAtMs / 1000);
    metrics.seriesScraped.set(snapshot.seriesScraped);
    metrics.seriesAfterRelabel.set(snapshot.seriesServed);
    const facts = { series_scraped: snapshot.seriesScraped, series_served: snapshot.seriesServed, bytes: result.bytes, duration_ms: result.durationMs, warm: built.warm };
    if (this.lastProblem !== undefined) logger.info('fetched Baseten metrics again', { ...facts, recovered_from: this.lastProblem });
    else if (!this.everSucceeded) logger.info('fetched Baseten metrics', facts);
    else logger.debug('cycle done', facts);
    this.everSucceeded = true;
    this.lastProblem = undefined;
    this.failures = 0;
    return { ok: true, nextDueMs: result.startedAtMs + intervalMs };
  }

  private failed(reason: FailureReason | 'key', message: string, retryAfterMs?: number, nextDueMs?: number): CycleOutcome {
    const { metrics, logger } = this.deps;
    metrics.upstreamUp.set(0);
    // A missing key is counted as `auth`: from the outside it is the same, a fetch that cannot authenticate.
    metrics.fetchFailures.inc({ reason: reason === 'key' ? 'auth' : reason });
    this.failures++;
    // Logged once per change of reason, not once per attempt.
    if (reason !== this.lastProblem) {
      logger.warn('fetch failed; serving the last good data while it is fresh', {
        reason,
        err: message,
        ...(reason === 'auth' && this.keyInUse ? { key: keyPrefix(this.keyInUse.key), key_source: this.keyInUse.source } : {}),
        data_age_seconds: this.store.ageSeconds()?.toFixed(0) ?? 'none',
      });
      this.lastProblem = reason;
    }
    const delay = nextAttemptDelay({ ok: false, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, this.failures, this.config.upstream.intervalMs, this.deps.random);
    return { ok: false, reason, message, nextDueMs: nextDueMs ?? this.now() + delay };
  }

  /** After a 401/403 the key source is read again at once: a rotated key recovers without waiting. */
  private afterAuthFailure(used: ResolvedKey, outcome: CycleOutcome): void {
    if (this.deps.fixedKey) return;
    try {
      if (this.readKey().key !== used.key) outcome.nextDueMs = this.now();
    } catch {
      // The next attempt reads it again.
    }
  }

  private makeKeySource(): KeySource {
    const { logger, secrets, metrics } = this.deps;
    return new KeySource(
      () => ({ apiKeyFile: this.config.upstream.apiKeyFile, env: this.deps.env ?? process.env, homeDir: this.deps.homeDir ?? os.homedir() }),
      {
        seen: (key) => secrets.add(key),
        rotated: (oldKey, newKey, source) => {
          metrics.apiKeyReloads.inc();
          logger.info('API key changed', { old_key: keyPrefix(oldKey), new_key: keyPrefix(newKey), source });
        },
        kept: (reason) => logger.warn('cannot read the new API key; keeping the previous one', { err: reason }),
        advice: (message, source) => logger.warn(message, { source }),
      },
    );
  }

  private buildOptions(config: Config): BuildOptions {
    const up = config.upstream;
    const limits = { sampleLimit: up.sampleLimit, labelLimit: up.labelLimit, labelNameLengthLimit: up.labelNameLengthLimit, labelValueLengthLimit: up.labelValueLengthLimit };
    return { limits, maxInvalidLineRatio: up.maxInvalidLineRatio, helpSuffix: HELP_SUFFIX };
  }

  /** Stops the builder thread. */
  async close(): Promise<void> {
    await this.builder.close();
  }

  private makeClient(config: Config): UpstreamClient {
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

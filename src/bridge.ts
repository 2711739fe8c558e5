/**
 * One bridge: a config, a key source, the upstream client, the relabel cache and the snapshot store, and the
 * cycle that connects them (fetch → parse → relabel → render → swap). A cycle is all or nothing: a failure of
 * any kind leaves the last good snapshot in place, counts the reason and logs it once per change.
 */
import os from 'node:os';
import { ApiKeyError, resolveApiKey, type Config, type ResolvedKey } from './config/index.js';
import { formatFromContentType, parseExposition } from './exposition/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from './log/index.js';
import { SeriesRelabelCache } from './relabel/series-cache.js';
import type { BridgeMetrics } from './selfmetrics/bridge-metrics.js';
import { assembleFamilies, createSnapshot, SnapshotStore } from './snapshot/index.js';
import { UpstreamClient, type CycleReport, type FailureReason, type FetchResult } from './upstream/index.js';

export const HELP_SUFFIX = '(cached from Baseten by baseten-metrics-bridge)';
const BODY_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface BridgeDeps {
  config: Config;
  logger: Logger;
  secrets: SecretRegistry;
  metrics: BridgeMetrics;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  now?: () => number;
  /** For the demo: a key held in memory rather than looked up. */
  fixedKey?: { key: string; source: string };
}

export interface CycleOutcome extends CycleReport {
  ok: boolean;
  reason?: FailureReason | 'key';
  message?: string;
}

export class Bridge {
  readonly store: SnapshotStore;
  private config: Config;
  private client: UpstreamClient;
  private cache: SeriesRelabelCache;
  private lastProblem: string | undefined;
  private lastKeyPrefix: string | undefined;
  private everSucceeded = false;
  private readonly now: () => number;

  constructor(private readonly deps: BridgeDeps) {
    this.now = deps.now ?? Date.now;
    this.config = deps.config;
    this.client = this.makeClient(deps.config);
    this.cache = new SeriesRelabelCache(deps.config.relabel);
    this.store = new SnapshotStore(() => this.config.upstream.maxStalenessMs, this.now);
    deps.metrics.readDataAgeFrom(() => this.store.ageSeconds());
  }

  get currentConfig(): Config {
    return this.config;
  }

  /** Swaps in a config that already loaded cleanly; the served snapshot stays until the next cycle. */
  applyConfig(next: Config): void {
    this.config = next;
    this.client = this.makeClient(next);
    this.cache = new SeriesRelabelCache(next.relabel);
  }

  /** Reads the key from its source (anew each time, so a rotated key file is picked up). */
  readKey(): ResolvedKey {
    if (this.deps.fixedKey) return this.deps.fixedKey;
    const resolved = resolveApiKey({
      apiKeyFile: this.config.upstream.apiKeyFile,
      env: this.deps.env ?? process.env,
      homeDir: this.deps.homeDir ?? os.homedir(),
    });
    this.deps.secrets.add(resolved.key);
    return resolved;
  }

  async runCycle(): Promise<CycleOutcome> {
    const { metrics } = this.deps;
    metrics.cycles.inc();
    const endTimer = metrics.fetchDuration.startTimer();
    let key: ResolvedKey;
    try {
      key = this.readKey();
    } catch (err) {
      endTimer();
      const message = err instanceof ApiKeyError ? err.message : 'api key: cannot be read';
      return this.failed('key', message);
    }
    this.noteKey(key);
    const result = await this.client.fetch(key.key);
    metrics.upstreamRequests.inc({ code: result.status === undefined ? 'none' : String(result.status) });
    if (result.bytes > 0) metrics.responseBytes.set(result.bytes);
    const outcome = result.ok ? this.accept(result) : this.failed(result.reason, result.message, result.retryAfterMs);
    endTimer();
    return outcome;
  }

  private accept(result: Extract<FetchResult, { ok: true }>): CycleOutcome {
    const { metrics } = this.deps;
    const parsed = parseExposition(result.body, formatFromContentType(result.contentType));
    if (parsed.invalidLines.length > 0) {
      const first = parsed.invalidLines[0]!;
      return this.failed('parse', `upstream body has ${parsed.invalidLines.length} invalid line(s); first at line ${first.line}: ${first.reason} (${JSON.stringify(first.excerpt)})`);
    }
    if (parsed.totalLines === 0) return this.failed('parse', 'upstream answered 200 with an empty body');
    this.cache.beginCycle();
    const assembled = assembleFamilies(parsed.families, this.cache, HELP_SUFFIX);
    const snapshot = createSnapshot(assembled.families, result.startedAtMs, assembled.seriesIn, assembled.seriesOut);
    this.store.swap(snapshot);
    for (const [reason, n] of assembled.dropped) metrics.seriesDropped.inc({ reason }, n);
    metrics.upstreamUp.set(1);
    metrics.lastSuccess.set(result.startedAtMs / 1000);
    metrics.seriesScraped.set(assembled.seriesIn);
    metrics.seriesAfterRelabel.set(assembled.seriesOut);
    if (this.lastProblem !== undefined || !this.everSucceeded) {
      this.deps.logger.info('fetched Baseten metrics', {
        series_scraped: assembled.seriesIn,
        series_served: assembled.seriesOut,
        bytes: result.bytes,
        duration_ms: result.durationMs,
        ...(this.lastProblem !== undefined ? { recovered_from: this.lastProblem } : {}),
      });
    }
    this.everSucceeded = true;
    this.lastProblem = undefined;
    this.deps.logger.debug('cycle done', { series_scraped: assembled.seriesIn, series_served: assembled.seriesOut, duration_ms: result.durationMs });
    return { ok: true };
  }

  private failed(reason: FailureReason | 'key', message: string, retryAfterMs?: number): CycleOutcome {
    const { metrics, logger } = this.deps;
    metrics.upstreamUp.set(0);
    // A missing key is counted as `auth`: from the outside it is the same, a fetch that cannot authenticate.
    metrics.fetchFailures.inc({ reason: reason === 'key' ? 'auth' : reason });
    const problem = `${reason}: ${message}`;
    if (problem !== this.lastProblem) {
      logger.warn('fetch failed; serving the last good data while it is fresh', {
        reason,
        err: message,
        data_age_seconds: this.store.ageSeconds()?.toFixed(0) ?? 'none',
      });
      this.lastProblem = problem;
    }
    const outcome: CycleOutcome = { ok: false, reason, message };
    if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
    return outcome;
  }

  private noteKey(key: ResolvedKey): void {
    const prefix = keyPrefix(key.key);
    if (prefix === this.lastKeyPrefix) return;
    if (key.strippedScheme) {
      this.deps.logger.warn(`the key source starts with "${key.strippedScheme} "; using the key without it (store the key alone)`, { source: key.source });
    }
    if (this.lastKeyPrefix === undefined) this.deps.logger.info('using API key', { key: prefix, source: key.source });
    else this.deps.logger.info('API key changed', { old_key: this.lastKeyPrefix, new_key: prefix, source: key.source });
    this.lastKeyPrefix = prefix;
  }

  private makeClient(config: Config): UpstreamClient {
    return new UpstreamClient({
      url: config.upstream.url,
      timeoutMs: config.upstream.timeoutMs,
      bodySizeLimitBytes: BODY_SIZE_LIMIT_BYTES,
      now: this.now,
    });
  }
}

/**
 * Builds the running bridge (logger, metrics, bridge, schedule, HTTP server) and runs it until SIGTERM or
 * SIGINT. SIGHUP and POST /-/reload re-read the config; an invalid one is refused and the old one keeps running.
 */
import type { Server } from 'node:http';
import { ConfigError, formatDuration, loadConfig, type Config, type ResolvedKey } from '../config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from '../log/index.js';
import { createBridgeMetrics } from '../selfmetrics/bridge-metrics.js';
import { applyWebConfig, basicAuth, createApp, listen, loadWebConfig, WebConfigError, type WebConfig } from '../server/index.js';
import { budgetStateAt, NO_BUDGET_STATE, Scheduler } from '../upstream/index.js';
import { Bridge } from '../bridge.js';
import type { Flags } from './flags.js';

/** How long a stopping bridge waits for open scrapes before it closes their connections. */
const SHUTDOWN_GRACE_MS = 8_000;

export interface RunOptions {
  flags: Flags;
  config: Config;
  logger: Logger;
  secrets: SecretRegistry;
  fixedKey?: ResolvedKey;
  /** Called once the server listens (the demo prints its URLs here). */
  onListening?: (address: string) => void;
}

export interface RunningBridge {
  bridge: Bridge;
  server: Server;
  /** The address the server listens on, as `host:port`. */
  address: string;
  stop(): Promise<void>;
}

function describeStart(config: Config, key: ResolvedKey): Record<string, string | number> {
  const up = config.upstream;
  return {
    config: config.origin,
    upstream: up.url,
    interval: formatDuration(up.intervalMs),
    timeout: formatDuration(up.timeoutMs),
    max_staleness: formatDuration(up.maxStalenessMs),
    max_requests_per_minute: up.maxRequestsPerMinute,
    relabel_rules: config.relabel.rules.length,
    key: keyPrefix(key.key),
    key_source: key.source,
  };
}

export async function startBridge(opts: RunOptions): Promise<RunningBridge> {
  const { flags, logger, secrets } = opts;
  const metrics = createBridgeMetrics();
  // The demo's generated key is nobody's budget: it keeps no state file.
  const budgetState = opts.fixedKey ? NO_BUDGET_STATE : budgetStateAt(flags.storagePath, (m) => logger.warn(m));
  const bridge = new Bridge({ config: opts.config, logger, secrets, metrics, budgetState, ...(opts.fixedKey ? { fixedKey: opts.fixedKey } : {}) });
  let key: ResolvedKey;
  try {
    key = bridge.readKey();
  } catch (err) {
    await bridge.close();
    throw err;
  }
  logger.info('starting baseten-metrics-bridge', describeStart(opts.config, key));
  if (opts.config.upstream.tls.insecureSkipVerify) {
    logger.warn('upstream.tls_config.insecure_skip_verify is true: the upstream certificate is NOT verified, so anyone on the path can read the API key');
  }

  const scheduler = new Scheduler({
    runAttempt: async (signal) => (await bridge.runCycle(signal)).nextDueMs,
    onError: (err) => {
      logger.error('unexpected error in a fetch cycle; the schedule goes on', { err: secrets.redact(err instanceof Error ? err.message : String(err)) });
      return Date.now() + bridge.currentConfig.upstream.intervalMs;
    },
  });

  // The web config (TLS, basic auth) is read at start and on every reload; basic auth reads the current one.
  let web: WebConfig | undefined = flags.webConfigFile ? loadWebConfig(flags.webConfigFile) : undefined;
  // Reload needs the server, the server needs the app, the app needs reload: filled in once listening.
  const listening: { server?: Server } = {};

  // Both files load cleanly, or nothing changes: the running config and web config stay as they were.
  const reload = async (): Promise<string[]> => {
    try {
      const next = flags.configFile ? loadConfig(flags.configFile) : undefined;
      const nextWeb = flags.webConfigFile ? loadWebConfig(flags.webConfigFile) : undefined;
      if (listening.server) applyWebConfig(listening.server, nextWeb);
      web = nextWeb;
      if (next) bridge.applyConfig(next);
      metrics.configReloadSuccess.set(1);
      logger.info('config reloaded', { config: next?.origin ?? '(none)', relabel_rules: bridge.currentConfig.relabel.rules.length, web_config: flags.webConfigFile ?? '(none)' });
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError) && !(err instanceof WebConfigError)) throw err;
      metrics.configReloadSuccess.set(0);
      const origin = err instanceof ConfigError ? err.origin : flags.webConfigFile;
      logger.error('config reload failed; the previous config keeps running', { config: origin, problems: err.problems.join('; ') });
      return err.problems;
    }
  };

  const app = createApp({
    telemetryPath: flags.telemetryPath,
    store: bridge.store,
    registry: metrics.registry,
    upstreamHost: new URL(opts.config.upstream.url).host,
    reload,
    guard: basicAuth(() => web),
    status: bridge.status,
  });
  const server = await listen(app, flags.listenAddress, web);
  listening.server = server;
  const addr = server.address();
  const address = typeof addr === 'object' && addr ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : flags.listenAddress;
  logger.info('listening', { address, telemetry_path: flags.telemetryPath, tls: web?.tls !== undefined, basic_auth_users: web?.users.size ?? 0 });
  opts.onListening?.(address);

  scheduler.start();
  // A rotated key file is picked up at once; the rate budget still decides when the next fetch goes out.
  bridge.watchKey(() => scheduler.runSoon());
  const onHup = () => void reload();
  process.on('SIGHUP', onHup);

  return {
    bridge,
    server,
    address,
    async stop() {
      process.off('SIGHUP', onHup);
      bridge.stopWatchingKey();
      await scheduler.stop();
      await bridge.close();
      // Scrapes in progress finish; idle keep-alive connections close now, the rest after the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(force);
    },
  };
}

/** Runs until SIGTERM/SIGINT, then stops cleanly. */
export async function runUntilSignal(running: RunningBridge, logger: Logger): Promise<number> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info('shutting down', { signal });
  await running.stop();
  logger.info('stopped');
  return 0;
}

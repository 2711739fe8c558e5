/**
 * Builds the running bridge (logger, metrics, bridge, schedule, HTTP server) and runs it until SIGTERM or
 * SIGINT. SIGHUP and POST /-/reload re-read the config; an invalid one is refused and the old one keeps running.
 */
import type { Server } from 'node:http';
import { ConfigError, formatDuration, loadConfig, type Config } from '../config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from '../log/index.js';
import { createBridgeMetrics } from '../selfmetrics/bridge-metrics.js';
import { createApp, listen } from '../server/index.js';
import { Scheduler } from '../upstream/index.js';
import { Bridge } from '../bridge.js';
import type { Flags } from './flags.js';

export interface RunOptions {
  flags: Flags;
  config: Config;
  logger: Logger;
  secrets: SecretRegistry;
  fixedKey?: { key: string; source: string };
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

export async function startBridge(opts: RunOptions): Promise<RunningBridge> {
  const { flags, logger, secrets } = opts;
  const metrics = createBridgeMetrics();
  const running = new Bridge({ config: opts.config, logger, secrets, metrics, ...(opts.fixedKey ? { fixedKey: opts.fixedKey } : {}) });
  const key = running.readKey();
  const up = opts.config.upstream;
  logger.info('starting baseten-metrics-bridge', {
    config: opts.config.origin,
    upstream: up.url,
    interval: formatDuration(up.intervalMs),
    timeout: formatDuration(up.timeoutMs),
    max_staleness: formatDuration(up.maxStalenessMs),
    relabel_rules: opts.config.relabel.rules.length,
    key: keyPrefix(key.key),
    key_source: key.source,
  });

  const reload = async (): Promise<string[]> => {
    if (!flags.configFile) return [];
    try {
      const next = loadConfig(flags.configFile);
      running.applyConfig(next);
      metrics.configReloadSuccess.set(1);
      logger.info('config reloaded', { config: next.origin, relabel_rules: next.relabel.rules.length });
      return [];
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      metrics.configReloadSuccess.set(0);
      logger.error('config reload failed; the previous config keeps running', { config: err.origin, problems: err.problems.join('; ') });
      return err.problems;
    }
  };

  const app = createApp({
    telemetryPath: flags.telemetryPath,
    store: running.store,
    registry: metrics.registry,
    upstreamHost: new URL(up.url).host,
    reload,
  });
  const server = await listen(app, flags.listenAddress);
  const addr = server.address();
  const address = typeof addr === 'object' && addr ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : flags.listenAddress;
  logger.info('listening', { address, telemetry_path: flags.telemetryPath });
  opts.onListening?.(address);

  const scheduler = new Scheduler({
    intervalMs: () => running.currentConfig.upstream.intervalMs,
    runCycle: () => running.runCycle(),
  });
  scheduler.start();
  const onHup = () => void reload();
  process.on('SIGHUP', onHup);

  return {
    bridge: running,
    server,
    address,
    async stop() {
      process.off('SIGHUP', onHup);
      await scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
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
  return 0;
}

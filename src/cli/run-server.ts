/**
 * Builds the running bridge (logger, metrics, targets and their schedules, HTTP server) and runs it until SIGTERM or
 * SIGINT. SIGHUP and POST /-/reload re-read the config; an invalid one is refused and the old one keeps running.
 */
import type { Server } from 'node:http';
import { formatByteSize, inShard, loadConfig, type Config } from '../config/index.js';
import type { Logger, SecretRegistry } from '../log/index.js';
import { collectProcessMetrics, createBridgeMetrics, memoryLimit } from '../selfmetrics/index.js';
import { createApp, listen } from '../server/index.js';
import { applyWebConfig, basicAuth, loadWebConfig, type WebConfig } from '../web-config/index.js';
import { budgetPoolAt } from '../upstream/index.js';
import { RemoteWriteOutput } from '../remotewrite/index.js';
import { MetricsOutput, type Output, type ReplicaConfig } from '../outputs/index.js';
import { TargetSet, unservableTargetRules, type KeyEnvironment } from '../targets/index.js';
import type { Flags } from './flags.js';
import { chosenShard } from './shard-choice.js';
import { ProblemsError } from '../problems-error.js';
import { listenFailure } from './listen-failure.js';
import { routeStrayOutput } from './stray-output.js';
import { targetLogFields } from './target-summary.js';

/**
 * A stopping bridge exits within 2 s of SIGTERM (a supervisor's kill timeout is often a few seconds): open
 * scrapes and queued remote_write pushes get a second, and a stop that still has not finished by
 * SHUTDOWN_DEADLINE_MS ends the process anyway.
 */
const SHUTDOWN_GRACE_MS = 1_000;
const SHUTDOWN_DEADLINE_MS = 1_700;

export interface RunOptions {
  flags: Flags;
  config: Config;
  logger: Logger;
  secrets: SecretRegistry;
  /** Where keys are looked up besides each target's `api_key_file` (the demo: its generated key). */
  keyLookup?: KeyEnvironment;
  /** Called once the server listens (the demo prints its URLs here). */
  onListening?: (address: string) => void;
  /** Outputs besides the bridge's own (a test's probe): each gets what the built-in ones get. */
  outputs?: readonly Output[];
}

export interface RunningBridge {
  targets: TargetSet;
  server: Server;
  /** The address the server listens on, as `host:port`. */
  address: string;
  stop(): Promise<void>;
}

/** The one place the shard is chosen: once per config, at start and for each reloaded config. */
function replicaConfig(flags: Flags, config: Config): ReplicaConfig {
  const shard = chosenShard(flags, config);
  return { config, shard, targets: inShard(config.targets, shard) };
}

function describeShard({ shard, config, targets }: ReplicaConfig): Record<string, string | number> {
  if (!shard) return {};
  return {
    shard: `${shard.index}/${shard.count}`,
    targets_in_shard: targets.length,
    targets_in_config: config.targets.length,
  };
}

export async function startBridge(opts: RunOptions): Promise<RunningBridge> {
  const { flags, logger, secrets } = opts;
  routeStrayOutput(logger);
  const metrics = createBridgeMetrics();
  const limit = memoryLimit(flags.memoryLimitBytes);
  collectProcessMetrics(metrics.registry, limit);
  const budgets = budgetPoolAt(
    flags.storagePath,
    (m) => logger.warn(m),
    Date.now,
    () => metrics.stateWriteFailures.inc(),
  );
  const replica = replicaConfig(flags, opts.config);
  const { config, targets: mine } = replica;
  // The outputs: each good cycle of every target goes to every one of them, in this order. An output is added here.
  const served = new MetricsOutput(replica, { logger });
  const outputs: Output[] = [
    served,
    new RemoteWriteOutput(replica, { logger, registry: metrics.registry, secrets }),
    ...(opts.outputs ?? []),
  ];
  const closeOutputs = (graceMs: number) => Promise.all(outputs.map((output) => output.close(graceMs)));
  const targets = new TargetSet({
    logger,
    secrets,
    metrics,
    budgets,
    onSnapshot: (snapshot, target) => {
      for (const output of outputs) output.push(snapshot, target);
    },
    ...(opts.keyLookup ? { keyLookup: opts.keyLookup } : {}),
  });
  // Everything that can fail at start is checked before anything runs (TLS material first), and whatever did
  // start is stopped again on a failure: a bridge that cannot serve must exit at once, so systemd, Compose or
  // Kubernetes see it and act, instead of a process that hangs on its timers and worker threads.
  let web: WebConfig | undefined;
  let keys: Awaited<ReturnType<TargetSet['create']>>;
  try {
    web = flags.webConfigFile ? loadWebConfig(flags.webConfigFile) : undefined;
    keys = await targets.create(mine);
  } catch (err) {
    await closeOutputs(0);
    throw err;
  }
  logger.info('starting baseten-metrics-bridge', {
    config: config.origin,
    targets: mine.length,
    ...describeShard(replica),
    // Which limit baseten_bridge_memory_limit_bytes reports, and where it was read: an operator's first question.
    memory_limit: limit
      ? `${formatByteSize(limit.bytes)} (${limit.source})`
      : 'none known (no cgroup limit; --memory.limit sets one)',
  });
  for (const { target, key } of keys) {
    logger.info('target', targetLogFields(target, key));
    // The same warning as check-config: valid rules that make every series they touch unservable.
    for (const problem of unservableTargetRules(config, target))
      logger.warn(`a relabel rule can never be served: ${problem}`, { target: target.name });
    if (target.upstream.tls.insecureSkipVerify) {
      logger.warn(
        'tls_config.insecure_skip_verify is true: the upstream certificate is ' +
          'NOT verified, so anyone on the path can read the API key',
        { target: target.name },
      );
    }
  }
  for (const remote of config.remoteWrite)
    logger.info('remote_write', {
      remote: remote.name,
      url: remote.url,
      write_relabel_rules: remote.relabel.rules.length,
    });
  // A replica with nothing to fetch is doing its job: ready, or `kubectl rollout status` would wait forever.
  if (mine.length === 0)
    logger.info(
      "this replica's shard holds no targets: ready, serving only the " +
        "bridge's own metrics (check-config --shard=i/n lists each shard's " +
        'targets)',
      describeShard(replica),
    );

  // The web config (TLS, basic auth) is read at start and on every reload; basic auth reads the current one.
  // Reload needs the server, the server needs the app, the app needs reload: filled in once listening.
  const listening: { server?: Server } = {};

  // Both files load cleanly, or nothing changes: the running config and web config stay as they were.
  const reload = async (): Promise<string[]> => {
    try {
      const next = flags.configFile ? loadConfig(flags.configFile) : undefined;
      const nextWeb = flags.webConfigFile ? loadWebConfig(flags.webConfigFile) : undefined;
      if (listening.server) applyWebConfig(listening.server, nextWeb);
      web = nextWeb;
      if (next) {
        const nextReplica = replicaConfig(flags, next);
        await targets.apply(nextReplica.targets);
        for (const output of outputs) output.reconfigure(nextReplica);
      }
      metrics.configReloadSuccess.set(1);
      // What a cycle already served was built under the old config: each target reads the new one when it next fetches.
      logger.info('config reloaded; each target applies it (relabel rules included) from its next fetch', {
        config: next?.origin ?? '(none)',
        targets: targets.bridges().length,
        web_config: flags.webConfigFile ?? '(none)',
      });
      return [];
    } catch (err) {
      if (!(err instanceof ProblemsError)) throw err;
      metrics.configReloadSuccess.set(0);
      // The lines main prints at start (each names its file), redacted as main redacts them.
      const lines = err.lines().map((line) => secrets.redact(line));
      logger.error('config reload failed; the previous config keeps running', { problems: lines.join('; ') });
      return lines;
    }
  };

  const app = createApp({
    telemetryPath: flags.telemetryPath,
    store: served,
    registry: metrics.registry,
    reload,
    lifecycle: flags.enableLifecycle,
    guard: basicAuth(() => web),
    status: targets,
    // Ready with fresh data of at least one target, or with no target at all in this replica's shard.
    ready: () => targets.bridges().length === 0 || served.servable() !== undefined,
  });
  let server: Server;
  try {
    server = await listen(app, flags.listenAddress, web);
  } catch (err) {
    await targets.stop();
    await closeOutputs(0);
    throw listenFailure(flags.listenAddress, err);
  }
  listening.server = server;
  const addr = server.address();
  const address =
    typeof addr === 'object' && addr
      ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`
      : flags.listenAddress;
  logger.info('listening', {
    address,
    telemetry_path: flags.telemetryPath,
    tls: web?.tls !== undefined,
    basic_auth_users: web?.users.size ?? 0,
  });
  opts.onListening?.(address);

  targets.start();
  const onHup = () => void reload();
  process.on('SIGHUP', onHup);

  return {
    targets,
    server,
    address,
    async stop() {
      process.off('SIGHUP', onHup);
      // Scrapes in progress finish; idle keep-alive connections close now, the rest after the grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      // What the outputs still hold (queued remote_write pushes) gets the grace period to go out.
      await Promise.all([targets.stop(), closeOutputs(SHUTDOWN_GRACE_MS), closed]);
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
  let deadline: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    running.stop().then(() => false),
    new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(true), SHUTDOWN_DEADLINE_MS))),
  ]);
  clearTimeout(deadline);
  if (late) {
    logger.warn('stopping took too long; exiting with work still in flight', { deadline_ms: SHUTDOWN_DEADLINE_MS });
    // Whatever still holds the process (a connection, a thread) must not keep it alive.
    setTimeout(() => process.exit(0), 50).unref();
  }
  logger.info('stopped');
  return 0;
}

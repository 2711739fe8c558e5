/**
 * `check-config`: validate the config and find each target's key; one summary line per target, or every error.
 * With `--probe`, one request per target (it counts against the rate budget) says whether each key works.
 */
import os from 'node:os';
import { DEFAULT_TARGET_NAME, formatDuration, inShard, keyAdvice, keyFileOf, resolveApiKey, type Config, type ResolvedKey, type Shard, type TargetConfig } from '../../config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from '../../log/index.js';
import { createBridgeMetrics } from '../../selfmetrics/bridge-metrics.js';
import { loadWebConfig } from '../../server/index.js';
import { budgetPoolAt } from '../../upstream/index.js';
import { Bridge, unservableTargetRules } from '../../target/index.js';

export interface CheckConfigOptions {
  probe: boolean;
  webConfigFile?: string;
  storagePath: string;
  /** --shard: say which targets this replica would run. */
  shard?: Shard;
  logger: Logger;
  secrets: SecretRegistry;
  out: (line: string) => void;
}

function summary(target: TargetConfig, keyText: string): string {
  const up = target.upstream;
  const labels = Object.entries(target.labels).map(([k, v]) => `${k}="${v}"`);
  return (
    `upstream ${up.url} every ${formatDuration(up.intervalMs)} (timeout ${formatDuration(up.timeoutMs)}, max staleness ${formatDuration(up.maxStalenessMs)}), ` +
    `${target.relabel.length - labels.length} relabel rule(s)${labels.length > 0 ? `, labels {${labels.join(', ')}}` : ''}, ${keyText}`
  );
}

/** What the server warns about at start (run-server.ts, key-source.ts), for one target. */
function targetWarnings(config: Config, target: TargetConfig, key: ResolvedKey, keyFile: string | undefined): string[] {
  return [...unservableTargetRules(config, target), ...keyAdvice(key, keyFile).map((a) => a.message)];
}

export async function checkConfigCommand(config: Config, opts: CheckConfigOptions): Promise<number> {
  const single = config.targets.length === 1 && config.targets[0]!.name === DEFAULT_TARGET_NAME;
  const shard = opts.shard ?? config.shard;
  const mine = new Set(inShard(config.targets, shard).map((t) => t.name));
  if (!single) opts.out(`${config.origin}: OK: ${config.targets.length} target(s)${shard ? `, shard ${shard.index}/${shard.count} runs ${mine.size}` : ''}`);
  for (const target of config.targets) {
    const lookup = { apiKeyFile: target.upstream.apiKeyFile, env: process.env, homeDir: os.homedir() };
    const key = resolveApiKey(lookup);
    opts.secrets.add(key.key);
    const line = summary(target, `key ${keyPrefix(key.key)} from ${key.source}`);
    if (single) opts.out(`${config.origin}: OK: ${line}`);
    else opts.out(`  ${target.name}: ${line}${shard && !mine.has(target.name) ? ' (another shard)' : ''}`);
    // The same warnings the running bridge logs: a valid config can still serve nothing, or leak its key.
    for (const warning of targetWarnings(config, target, key, keyFileOf(lookup))) opts.out(`  warning: ${warning}`);
  }
  for (const remote of config.remoteWrite) {
    const rules = remote.relabel.rules.length;
    opts.out(`remote_write ${remote.name}: ${remote.url}${remote.auth ? ` (${remote.auth.kind === 'basic' ? 'basic auth' : `${remote.auth.type} token`})` : ''}, ${rules} write relabel rule(s), queue of ${remote.queue.capacity} samples`);
  }
  if (opts.webConfigFile) {
    const web = loadWebConfig(opts.webConfigFile);
    opts.out(`${opts.webConfigFile}: OK: ${web.tls ? `TLS (client certificates: ${web.tls.clientAuth})` : 'plain HTTP'}, ${web.users.size} basic auth user(s)`);
  }
  if (!opts.probe) return 0;
  const budgets = budgetPoolAt(opts.storagePath, (m) => opts.logger.warn(m));
  const metrics = createBridgeMetrics();
  let failed = false;
  for (const target of config.targets) {
    const bridge = new Bridge({ config: target, logger: opts.logger, secrets: opts.secrets, metrics, budgets });
    const outcome = await bridge.runCycle();
    await bridge.close();
    const snapshot = bridge.store.last();
    const name = single ? '' : ` ${target.name}:`;
    if (outcome.ok && snapshot) {
      opts.out(`probe:${name} OK: the key works; ${snapshot.seriesScraped} series read, ${snapshot.seriesServed} after relabeling`);
      continue;
    }
    failed = true;
    if (outcome.reason === 'budget') {
      opts.out(`probe:${name} not sent: the rate budget (${bridge.budgetFacts().limit} per minute) is used up; try again in ${Math.ceil((outcome.nextDueMs - Date.now()) / 1000)}s`);
      continue;
    }
    const advice = outcome.reason === 'auth' ? ' (create a metrics-only workspace key in Baseten and store it where the summary above says)' : '';
    opts.out(`probe:${name} FAILED: ${outcome.reason}: ${opts.secrets.redact(outcome.message ?? 'failed')}${advice}`);
  }
  return failed ? 1 : 0;
}

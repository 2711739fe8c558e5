/**
 * `check-config`: validate the config and find the key; a one-line summary, or every error. With `--probe`,
 * one request to the upstream (it counts against the rate budget) says whether the key works.
 */
import os from 'node:os';
import { formatDuration, resolveApiKey, type Config } from '../../config/index.js';
import { keyPrefix, type Logger, type SecretRegistry } from '../../log/index.js';
import { createBridgeMetrics } from '../../selfmetrics/bridge-metrics.js';
import { loadWebConfig } from '../../server/index.js';
import { budgetStateAt } from '../../upstream/index.js';
import { Bridge } from '../../bridge.js';

export interface CheckConfigOptions {
  probe: boolean;
  webConfigFile?: string;
  storagePath: string;
  logger: Logger;
  secrets: SecretRegistry;
  out: (line: string) => void;
}

export async function checkConfigCommand(config: Config, opts: CheckConfigOptions): Promise<number> {
  const up = config.upstream;
  const key = resolveApiKey({ apiKeyFile: up.apiKeyFile, env: process.env, homeDir: os.homedir() });
  opts.secrets.add(key.key);
  opts.out(
    `${config.origin}: OK: upstream ${up.url} every ${formatDuration(up.intervalMs)} (timeout ${formatDuration(up.timeoutMs)}, max staleness ${formatDuration(up.maxStalenessMs)}), ` +
      `${config.relabel.rules.length} relabel rule(s), key ${keyPrefix(key.key)} from ${key.source}`,
  );
  if (opts.webConfigFile) {
    const web = loadWebConfig(opts.webConfigFile);
    opts.out(`${opts.webConfigFile}: OK: ${web.tls ? `TLS (client certificates: ${web.tls.clientAuth})` : 'plain HTTP'}, ${web.users.size} basic auth user(s)`);
  }
  if (!opts.probe) return 0;
  const budgetState = budgetStateAt(opts.storagePath, (m) => opts.logger.warn(m));
  const bridge = new Bridge({ config, logger: opts.logger, secrets: opts.secrets, metrics: createBridgeMetrics(), budgetState });
  const outcome = await bridge.runCycle();
  await bridge.close();
  const snapshot = bridge.store.last();
  if (outcome.ok && snapshot) {
    opts.out(`probe: OK: the key works; ${snapshot.seriesScraped} series read, ${snapshot.seriesServed} after relabeling`);
    return 0;
  }
  if (outcome.reason === 'budget') {
    opts.out(`probe: not sent: the rate budget (${up.maxRequestsPerMinute} per minute) is used up; try again in ${Math.ceil((outcome.nextDueMs - Date.now()) / 1000)}s`);
    return 1;
  }
  const advice = outcome.reason === 'auth' ? ' (create a metrics-only workspace key in Baseten and store it where the summary above says)' : '';
  opts.out(`probe: FAILED: ${outcome.reason}: ${opts.secrets.redact(outcome.message ?? 'failed')}${advice}`);
  return 1;
}

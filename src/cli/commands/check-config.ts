/** `check-config`: validate the config and find the key; a one-line summary, or every error. */
import os from 'node:os';
import { formatDuration, resolveApiKey, type Config } from '../../config/index.js';
import { keyPrefix } from '../../log/index.js';

export function checkConfigCommand(config: Config, out: (line: string) => void): number {
  const up = config.upstream;
  const key = resolveApiKey({ apiKeyFile: up.apiKeyFile, env: process.env, homeDir: os.homedir() });
  out(
    `${config.origin}: OK: upstream ${up.url} every ${formatDuration(up.intervalMs)} (timeout ${formatDuration(up.timeoutMs)}, max staleness ${formatDuration(up.maxStalenessMs)}), ` +
      `${config.relabel.rules.length} relabel rule(s), key ${keyPrefix(key.key)} from ${key.source}`,
  );
  return 0;
}

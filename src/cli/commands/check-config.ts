/**
 * `check-config`: validate the config and find each target's key; one summary line per target, or every error.
 * With `--probe`, one request per target (it counts against the rate budget) says whether each key works.
 */
import os from 'node:os';
import {
  DEFAULT_TARGET_NAME,
  inShard,
  keyAdvice,
  keyFileOf,
  loadConfig,
  resolveApiKey,
  type Config,
  type ResolvedKey,
  type TargetConfig,
} from '../../config/index.js';
import { keyPrefix } from '../../log/index.js';
import { loadWebConfig } from '../../web-config/index.js';
import { unservableTargetRules } from '../../targets/index.js';
import type { CommandIo } from '../command-io.js';
import type { Flags } from '../flags.js';
import { fetchOnce } from '../one-shot.js';
import { chosenShard } from '../shard-choice.js';
import { targetLine } from '../target-summary.js';

/** What the server warns about at start (cli/run-server.ts, config/key-source.ts), for one target. */
function targetWarnings(config: Config, target: TargetConfig, key: ResolvedKey, keyFile: string | undefined): string[] {
  return [...unservableTargetRules(config, target), ...keyAdvice(key, keyFile).map((a) => a.message)];
}

export async function checkConfigCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = loadConfig(flags.configFile);
  const out = (line: string) => io.out(`${line}\n`);
  const single = config.targets.length === 1 && config.targets[0]!.name === DEFAULT_TARGET_NAME;
  const shard = chosenShard(flags, config);
  const mine = new Set(inShard(config.targets, shard).map((t) => t.name));
  if (!single)
    out(
      `${config.origin}: OK: ` +
        `${config.targets.length} target(s)${shard ? `, shard ${shard.index}/${shard.count} runs ${mine.size}` : ''}`,
    );
  for (const target of config.targets) {
    const lookup = { apiKeyFile: target.upstream.apiKeyFile, env: process.env, homeDir: os.homedir() };
    const key = resolveApiKey(lookup);
    io.secrets.add(key.key);
    const line = targetLine(target, `key ${keyPrefix(key.key)} from ${key.source}`);
    if (single) out(`${config.origin}: OK: ${line}`);
    else out(`  ${target.name}: ${line}${shard && !mine.has(target.name) ? ' (another shard)' : ''}`);
    // The same warnings the running bridge logs: a valid config can still serve nothing, or leak its key.
    for (const warning of targetWarnings(config, target, key, keyFileOf(lookup))) out(`  warning: ${warning}`);
  }
  for (const remote of config.remoteWrite) {
    const rules = remote.relabel.rules.length;
    const auth = remote.auth ? ` (${remote.auth.kind === 'basic' ? 'basic auth' : `${remote.auth.type} token`})` : '';
    out(
      `remote_write ${remote.name}: ${remote.url}${auth}, ` +
        `${rules} write relabel rule(s), queue of ${remote.queue.capacity} samples`,
    );
  }
  if (flags.webConfigFile) {
    const web = loadWebConfig(flags.webConfigFile);
    out(
      `${flags.webConfigFile}: OK: ${web.tls ? `TLS (client certificates: ${web.tls.clientAuth})` : 'plain HTTP'},` +
        ` ${web.users.size} basic auth user(s)`,
    );
  }
  if (!flags.probe) return 0;
  let failed = false;
  for (const result of await fetchOnce(config.targets, flags.storagePath, io)) {
    const name = single ? '' : ` ${result.target.name}:`;
    if (result.ok) {
      out(
        `probe:${name} OK: the key works; ${result.snapshot.seriesScraped} ` +
          `series read, ${result.snapshot.seriesServed} after relabeling`,
      );
      continue;
    }
    failed = true;
    if (result.budget) {
      out(`probe:${name} not sent: ${result.problem}`);
      continue;
    }
    const advice =
      result.reason === 'auth'
        ? ' (create a metrics-only workspace key in Baseten and store it where the summary above says)'
        : '';
    out(`probe:${name} FAILED: ${result.problem}${advice}`);
  }
  return failed ? 1 : 0;
}

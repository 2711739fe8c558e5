/**
 * Command-line flags in the Prometheus exporter convention (`--config.file=PATH`, `--web.listen-address=:PORT`).
 * No flag takes the API key: argv is visible to every user of the machine in `ps`.
 */
import { parseArgs } from 'node:util';
import { parseShard, type Shard } from '../config/index.js';
import { ProblemsError } from '../problems-error.js';
import { isOneOf, notOneOf, parseByteSize } from '../decode/index.js';
import { ALERT_SETS, decodeAlertOptions, type AlertSet } from '../rules/index.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/index.js';
import { parseListenAddress } from '../server/index.js';
import { DEFAULT_STORAGE_PATH } from '../upstream/index.js';

/**
 * Prometheus's default port allocations list has 9100–9999 fully taken, so the bridge sits outside that
 * range on a port no entry of the list uses.
 */
export const DEFAULT_LISTEN_ADDRESS = ':19340';
export const COMMANDS = ['serve', 'check-config', 'once', 'relabel-test', 'rules', 'demo'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Flags {
  command: Command;
  configFile?: string;
  webConfigFile?: string;
  /** `rules`: the SLO file to generate alerting rules from. */
  sloFile?: string;
  /** `rules`: which of the shipped alert files to print. */
  alerts?: AlertSet;
  /** `rules`: the page whose headings are the alerts' runbooks (default: docs/DASHBOARDS.md on GitHub). */
  runbookBaseUrl?: string;
  /** `rules --alerts=models`: the GPUs' memory in MiB and the share of it that is near full. */
  gpuMemoryMib?: number;
  gpuMemoryFullRatio?: number;
  /** `rules --alerts=models`: the engines' p99 time to first token above which an alert fires, in seconds. */
  engineTtftP99Seconds?: number;
  /** `rules --alerts=bridge`: the label matchers of the bridge's own series (default `job="baseten"`). */
  bridgeSelector?: string;
  /** Folder for the small state file that makes the rate budget survive restarts; '' disables it. */
  storagePath: string;
  listenAddress: string;
  telemetryPath: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** `--memory.limit`: the memory limit to report instead of the cgroup's, in bytes. */
  memoryLimitBytes?: number;
  trace: boolean;
  probe: boolean;
  /** --web.enable-lifecycle: /-/reload over HTTP (SIGHUP always reloads), off by default as in Prometheus. */
  enableLifecycle: boolean;
  /** `--shard=i/n`: run only the targets whose name hashes to i of n. */
  shard?: Shard;
  /** `relabel-test`, `once`: the target to use when the config has several. */
  target?: string;
  help: boolean;
  version: boolean;
}

/** A flag or argument that cannot work: one problem, naming the flag and the fix. */
export class UsageError extends ProblemsError {
  override name = 'UsageError';
  constructor(problem: string | readonly string[]) {
    super('', typeof problem === 'string' ? [problem] : problem);
  }
}

const OPTIONS = {
  'config.file': { type: 'string' },
  'web.config.file': { type: 'string' },
  'storage.path': { type: 'string' },
  'web.listen-address': { type: 'string' },
  'web.telemetry-path': { type: 'string' },
  'web.enable-lifecycle': { type: 'boolean' },
  'log.level': { type: 'string' },
  'log.format': { type: 'string' },
  'memory.limit': { type: 'string' },
  trace: { type: 'boolean' },
  probe: { type: 'boolean' },
  shard: { type: 'string' },
  target: { type: 'string' },
  slo: { type: 'string' },
  alerts: { type: 'string' },
  'runbook.base-url': { type: 'string' },
  'gpu.memory-mib': { type: 'string' },
  'gpu.memory-full-ratio': { type: 'string' },
  'engine.ttft-p99': { type: 'string' },
  'bridge.selector': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (isOneOf(value, allowed)) return value;
  throw new UsageError(`--${flag}: ${notOneOf(value, allowed)}`);
}

/** `--memory.limit=512MiB`: a byte size as the config's body_size_limit reads it, above zero. */
function memoryLimitFlag(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes === 0)
    throw new UsageError(`--memory.limit: "${value}" is not a memory size above 0 (e.g. 512MiB, 1GiB, or bytes)`);
  return bytes;
}

export function parseFlags(argv: string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's messages quote the offending flag; keep them, minus Node's own hints.
    throw new UsageError(`${(err as Error).message.split('. ')[0]} (see baseten-bridge --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}" (see baseten-bridge --help)`);
  const command = positionals[0] ?? 'serve';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(
      `unknown command "${command}" (commands: ${COMMANDS.filter((c) => c !== 'serve').join(', ')})`,
    );
  }
  const telemetryPath = values['web.telemetry-path'] ?? '/metrics';
  if (!telemetryPath.startsWith('/'))
    throw new UsageError(`--web.telemetry-path: "${telemetryPath}" must start with /`);
  const listenAddress = values['web.listen-address'] ?? DEFAULT_LISTEN_ADDRESS;
  // Checked here, before anything starts: a bad address must not surface only after the targets ran.
  try {
    parseListenAddress(listenAddress);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const flags: Flags = {
    command: command as Command,
    listenAddress,
    telemetryPath,
    logLevel: oneOf('log.level', values['log.level'], LOG_LEVELS, 'info'),
    logFormat: oneOf('log.format', values['log.format'], LOG_FORMATS, 'logfmt'),
    trace: values.trace ?? false,
    probe: values.probe ?? false,
    enableLifecycle: values['web.enable-lifecycle'] ?? false,
    storagePath: values['storage.path'] ?? DEFAULT_STORAGE_PATH,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (values['config.file'] !== undefined) flags.configFile = values['config.file'];
  if (values['web.config.file'] !== undefined) flags.webConfigFile = values['web.config.file'];
  if (values['memory.limit'] !== undefined) flags.memoryLimitBytes = memoryLimitFlag(values['memory.limit']);
  if (values.slo !== undefined) flags.sloFile = values.slo;
  if (values.alerts !== undefined) flags.alerts = oneOf('alerts', values.alerts, ALERT_SETS, 'models');
  const alertProblems: string[] = [];
  const alertOptions = decodeAlertOptions(
    {
      runbookBaseUrl: values['runbook.base-url'],
      gpuMemoryMib: values['gpu.memory-mib'],
      gpuMemoryFullRatio: values['gpu.memory-full-ratio'],
      engineTtftP99Seconds: values['engine.ttft-p99'],
      bridgeSelector: values['bridge.selector'],
    },
    alertProblems,
  );
  if (alertProblems.length > 0) throw new UsageError(alertProblems);
  Object.assign(flags, alertOptions);
  if (values.target !== undefined) flags.target = values.target;
  if (values.shard !== undefined) {
    const { shard, problem } = parseShard(values.shard);
    if (problem) throw new UsageError(`--shard: ${problem}`);
    flags.shard = shard!;
  }
  return flags;
}

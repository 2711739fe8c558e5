/**
 * Reads and validates a config file into one typed Config. Every problem is collected and reported with its
 * YAML path and the fix; nothing is half-applied (as blackbox_exporter's config.go: decode, then validate).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ProblemsError } from '../problems-error.js';
import type { z } from 'zod';
import { configSchema, KNOWN_KEYS, type RawConfig } from './schema.js';
import { readRemoteWrite, type RemoteWriteConfig } from './remote-write.js';
import { parseShard, type Shard } from './shard.js';
import { readSingleTarget, readTargets, type TargetConfig } from './targets.js';
import type { UpstreamConfig } from './upstream.js';
import { closestKey } from './suggest.js';
import { misplacedKey } from './misplaced.js';

export type { TargetConfig, UpstreamConfig };

export interface Config {
  /** Every target of the file, in its order (`upstream:` is one target named `default`). */
  targets: TargetConfig[];
  /** Where every good cycle is also pushed (Prometheus remote-write 1.0); empty by default. */
  remoteWrite: RemoteWriteConfig[];
  /** The file's `shard: i/n`; the --shard flag wins over it. */
  shard?: Shard;
  /** Where it came from: a file path, or `(defaults)`. */
  origin: string;
}

/** Every problem of one config file; `file` is its path, or `(defaults)`. */
export class ConfigError extends ProblemsError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    problems: readonly string[],
  ) {
    super(`config ${file}`, problems);
  }
}

/** `targets.1.url` is written `targets[1].url`, as people count list entries in YAML. */
function yamlPath(path: readonly PropertyKey[], listMarker = (i: number) => `[${i}]`): string {
  return path.map((part, i) => (typeof part === 'number' ? listMarker(part) : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = yamlPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const section = yamlPath(issue.path, () => '[]');
          const known = KNOWN_KEYS[section] ?? [];
          const hint = closestKey(key, known);
          const where = path ? `${path}.${key}` : key;
          const fix = misplacedKey(section, key);
          if (fix) return `${where}: ${fix}`;
          return `${where}: unknown field${hint ? ` (did you mean "${hint}"?)` : ` (known fields: ${known.join(', ')})`}`;
        })
        .join('; ');
    }
    return `${path || '(top level)'}: ${issue.message}`;
  });
}

/** Validates a parsed YAML value. `baseDir` resolves relative file paths. */
export function buildConfig(raw: unknown, origin: string, baseDir: string): Config {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(origin, zodProblems(parsed.error));
  const value: RawConfig = parsed.data;
  const problems: string[] = [];
  let targets: TargetConfig[];
  if (value.targets) {
    if (value.upstream) problems.push('upstream: use either upstream: (one workspace) or targets: (several), not both');
    if (value.metric_relabel_configs !== undefined) problems.push("metric_relabel_configs: with targets:, put the rules under each target's metric_relabel_configs");
    const read = readTargets(value.targets, baseDir, origin);
    targets = read.targets;
    problems.push(...read.problems);
  } else {
    const read = readSingleTarget(value.upstream ?? {}, value.metric_relabel_configs, baseDir, origin);
    targets = read.targets;
    problems.push(...read.problems);
  }
  const remoteWrite = readRemoteWrite(value.remote_write, baseDir);
  problems.push(...remoteWrite.problems);
  let shard: Shard | undefined;
  if (value.shard !== undefined && value.shard !== null) {
    const read = typeof value.shard === 'string' ? parseShard(value.shard) : { problem: `${JSON.stringify(value.shard)} is not i/n (quote it: shard: "0/3")` };
    if (read.problem) problems.push(`shard: ${read.problem}`);
    shard = read.shard;
  }
  if (problems.length > 0) throw new ConfigError(origin, problems);
  return { targets, remoteWrite: remoteWrite.remoteWrite, ...(shard ? { shard } : {}), origin };
}

/** Loads a config file, or the defaults when no path is given. */
export function loadConfig(path: string | undefined): Config {
  if (path === undefined) return buildConfig({}, '(defaults)', process.cwd());
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(path, [`cannot read the file (${code}); check --config.file`]);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${pos ? `line ${pos.line} column ${pos.col}: ` : ''}YAML syntax error (${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`;
      }),
    );
  }
  return buildConfig(doc.toJS(), path, dirname(resolve(path)));
}

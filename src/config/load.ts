/**
 * Reads and validates a config file into one typed Config. Every problem is collected and reported with its
 * YAML path and the fix; nothing is half-applied (as blackbox_exporter's config.go: decode, then validate).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Decoder, readYaml } from '../decode/index.js';
import { ProblemsError } from '../problems-error.js';
import { misplacedKey } from './misplaced.js';
import { decodeRemoteWrite, type RemoteWriteConfig } from './remote-write.js';
import { parseShard, type Shard } from './shard.js';
import { decodeSingleTarget, decodeTargets, type TargetConfig } from './targets.js';
import { UPSTREAM_KEYS, type UpstreamConfig } from './upstream.js';

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

const TOP_KEYS = ['upstream', 'targets', 'metric_relabel_configs', 'remote_write', 'shard'];

/** Validates a parsed YAML value. `baseDir` resolves relative file paths. */
export function buildConfig(raw: unknown, origin: string, baseDir: string): Config {
  const root = new Decoder(raw ?? {});
  if (!root.isMapping())
    throw new ConfigError(origin, ['(top level): must be a mapping with upstream: or targets: (see README.md)']);
  const targetsSet = root.at('targets').isSet;
  if (targetsSet) {
    if (root.at('upstream').isSet)
      root.at('upstream').problem('use either upstream: (one workspace) or targets: (several), not both');
    if (root.at('metric_relabel_configs').value !== undefined)
      root
        .at('metric_relabel_configs')
        .problem("with targets:, put the rules under each target's metric_relabel_configs");
  }
  const targets = targetsSet
    ? decodeTargets(root.at('targets'), baseDir, origin)
    : decodeSingleTarget(root, baseDir, origin);
  const remoteWrite = decodeRemoteWrite(root.at('remote_write'), baseDir);
  const shard = decodeShard(root.at('shard'));
  // Unknown top-level keys last, after the sections' own, as they were reported before.
  root.mapping(TOP_KEYS, 'a mapping', (key) => misplacedKey('', key, UPSTREAM_KEYS));
  if (root.count > 0) throw new ConfigError(origin, root.problems);
  return { targets, remoteWrite, ...(shard ? { shard } : {}), origin };
}

function decodeShard(d: Decoder): Shard | undefined {
  if (!d.isSet) return undefined;
  const read =
    typeof d.value === 'string'
      ? parseShard(d.value)
      : { problem: `${JSON.stringify(d.value)} is not i/n (quote it: shard: "0/3")` };
  if (read.problem) d.problem(read.problem);
  return read.shard;
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
  const read = readYaml(text);
  if (read.problems) throw new ConfigError(path, read.problems);
  return buildConfig(read.value, path, dirname(resolve(path)));
}

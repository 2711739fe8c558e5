/**
 * Reads and validates a config file into one typed Config. Every problem is collected and reported with its
 * YAML path and the fix; nothing is half-applied (as blackbox_exporter's config.go: decode, then validate).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { compileRelabelConfigs, RelabelConfigError, type CompiledRules } from '../relabel/index.js';
import { configSchema, KNOWN_KEYS, type RawConfig } from './schema.js';
import { readUpstream, type UpstreamConfig } from './upstream.js';
import { closestKey } from './suggest.js';

export type { UpstreamConfig };

export interface Config {
  upstream: UpstreamConfig;
  relabel: CompiledRules;
  /** metric_relabel_configs as written (the builder thread compiles its own copy from it). */
  relabelRaw: unknown;
  /** Where it came from: a file path, or `(defaults)`. */
  origin: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`config: ${origin}: ${problems.length} problem(s): ${problems.join('; ')}`);
  }
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const known = KNOWN_KEYS[path] ?? [];
          const hint = closestKey(key, known);
          const where = path ? `${path}.${key}` : key;
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
  const { upstream, problems } = readUpstream(value.upstream ?? {}, baseDir);
  let relabel: CompiledRules | undefined;
  try {
    relabel = compileRelabelConfigs(value.metric_relabel_configs, 'metric_relabel_configs');
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !relabel) throw new ConfigError(origin, problems);
  return { upstream, relabel, relabelRaw: value.metric_relabel_configs ?? [], origin };
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

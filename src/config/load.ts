/**
 * Reads and validates a config file into one typed Config. Every problem is collected and reported with its
 * YAML path and the fix; nothing is half-applied (as blackbox_exporter's config.go: decode, then validate).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { compileRelabelConfigs, RelabelConfigError, type CompiledRules } from '../relabel/index.js';
import { parseDuration } from './duration.js';
import {
  configSchema,
  DEFAULT_INTERVAL,
  DEFAULT_MAX_STALENESS,
  DEFAULT_TIMEOUT,
  DEFAULT_UPSTREAM_URL,
  KNOWN_KEYS,
  MIN_INTERVAL_MS,
  type RawConfig,
} from './schema.js';
import { closestKey } from './suggest.js';

export interface UpstreamConfig {
  url: string;
  intervalMs: number;
  timeoutMs: number;
  maxStalenessMs: number;
  /** Absolute path (relative paths are resolved against the config file's folder, as Prometheus does). */
  apiKeyFile?: string;
}

export interface Config {
  upstream: UpstreamConfig;
  relabel: CompiledRules;
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

function durationField(value: unknown, fallback: string, path: string, problems: string[]): number {
  const text = value ?? fallback;
  const ms = typeof text === 'string' ? parseDuration(text) : undefined;
  if (ms === undefined) problems.push(`${path}: ${JSON.stringify(text)} is not a duration (use Prometheus syntax, e.g. 60s or 1m30s)`);
  return ms ?? 0;
}

/** Validates a parsed YAML value. `baseDir` resolves relative file paths. */
export function buildConfig(raw: unknown, origin: string, baseDir: string): Config {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(origin, zodProblems(parsed.error));
  const value: RawConfig = parsed.data;
  const problems: string[] = [];
  const up = value.upstream ?? {};

  const url = up.url ?? DEFAULT_UPSTREAM_URL;
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(url);
  } catch {
    problems.push(`upstream.url: "${url}" is not a URL (e.g. https://app.baseten.co/metrics)`);
  }
  if (parsedUrl && parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
    problems.push(`upstream.url: scheme ${parsedUrl.protocol} is not supported (use https://)`);
  }
  if (parsedUrl && (parsedUrl.username || parsedUrl.password)) {
    problems.push('upstream.url: must not carry credentials (the key comes from upstream.api_key_file or BASETEN_API_KEY)');
  }

  const intervalMs = durationField(up.interval, DEFAULT_INTERVAL, 'upstream.interval', problems);
  const timeoutMs = durationField(up.timeout, DEFAULT_TIMEOUT, 'upstream.timeout', problems);
  const maxStalenessMs = durationField(up.max_staleness, DEFAULT_MAX_STALENESS, 'upstream.max_staleness', problems);
  if (intervalMs > 0 && intervalMs < MIN_INTERVAL_MS) {
    problems.push('upstream.interval: below 10s would exceed Baseten\'s limit of 6 requests per minute (use 10s or more; 60s is recommended)');
  }
  if (timeoutMs <= 0 && typeof up.timeout === 'string' && parseDuration(up.timeout) !== undefined) {
    problems.push('upstream.timeout: must be above 0 (e.g. 20s)');
  }
  if (timeoutMs > 0 && intervalMs > 0 && timeoutMs >= intervalMs) {
    problems.push('upstream.timeout: must be below upstream.interval (e.g. timeout 20s with interval 60s)');
  }
  if (maxStalenessMs > 0 && intervalMs > 0 && maxStalenessMs < intervalMs) {
    problems.push('upstream.max_staleness: must be at least upstream.interval (the default 5m allows a few failed fetches)');
  }

  let relabel: CompiledRules | undefined;
  try {
    relabel = compileRelabelConfigs(value.metric_relabel_configs, 'metric_relabel_configs');
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !relabel) throw new ConfigError(origin, problems);

  const upstream: UpstreamConfig = { url, intervalMs, timeoutMs, maxStalenessMs };
  if (up.api_key_file) upstream.apiKeyFile = resolve(baseDir, up.api_key_file);
  return { upstream, relabel, origin };
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

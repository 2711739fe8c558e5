/** The `upstream:` section: where to fetch, how often, with which limits, and how to authenticate. */
import { resolve } from 'node:path';
import { FieldReader } from './field-reader.js';
import {
  BASETEN_LIMIT_PER_MINUTE,
  DEFAULT_BODY_SIZE_LIMIT,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_INTERVAL,
  DEFAULT_MAX_INVALID_LINE_RATIO,
  DEFAULT_MAX_REQUESTS_PER_MINUTE,
  DEFAULT_MAX_STALENESS,
  DEFAULT_TIMEOUT,
  DEFAULT_UPSTREAM_URL,
  MIN_INTERVAL_MS,
  type RawUpstream,
} from './schema.js';

export const AUTH_SCHEMES = ['Api-Key', 'Bearer'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export interface UpstreamConfig {
  url: string;
  intervalMs: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxStalenessMs: number;
  /** Absolute path (relative paths are resolved against the config file's folder, as Prometheus does). */
  apiKeyFile?: string;
  authScheme: AuthScheme;
  maxRequestsPerMinute: number;
  bodySizeLimitBytes: number;
  /** Prometheus's scrape limits; 0 means no limit. */
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  maxInvalidLineRatio: number;
  allowInsecureHttp: boolean;
  /** `ca` is the PEM read from tls_config.ca_file at load time. */
  tls: { caFile?: string; ca?: string; insecureSkipVerify: boolean };
}

const LIMIT_MAX = 2 ** 31 - 1;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function readUrl(r: FieldReader, allowInsecureHttp: boolean, prefix: string): string {
  const url = r.string('url', DEFAULT_UPSTREAM_URL)!;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    r.problem('url', `${JSON.stringify(url)} is not a URL (e.g. https://app.baseten.co/metrics)`);
    return url;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') r.problem('url', `scheme ${parsed.protocol} is not supported (use https://)`);
  if (parsed.username || parsed.password) r.problem('url', `must not carry credentials (the key comes from ${prefix}.api_key_file or BASETEN_API_KEY)`);
  if (parsed.protocol === 'http:' && !LOOPBACK.test(parsed.hostname) && !allowInsecureHttp) {
    r.problem('url', `plain http would send the API key unencrypted (use https://, or set ${prefix}.allow_insecure_http: true)`);
  }
  return url;
}

/** `prefix` is where the fields sit in the file: `upstream`, or `targets[2]` for one of several targets. */
export function readUpstream(raw: RawUpstream, baseDir: string, prefix = 'upstream'): { upstream: UpstreamConfig; problems: string[] } {
  const r = new FieldReader(raw as Record<string, unknown>, prefix);
  const allowInsecureHttp = r.boolean('allow_insecure_http', false);
  const url = readUrl(r, allowInsecureHttp, prefix);
  const intervalMs = r.duration('interval', DEFAULT_INTERVAL);
  const timeoutMs = r.duration('timeout', DEFAULT_TIMEOUT);
  const maxStalenessMs = r.duration('max_staleness', DEFAULT_MAX_STALENESS);
  const maxRequestsPerMinute = r.integer('max_requests_per_minute', DEFAULT_MAX_REQUESTS_PER_MINUTE, 1, BASETEN_LIMIT_PER_MINUTE, "Baseten allows 6 per organization");
  const explicitConnect = r.has('connect_timeout');
  const connectTimeoutMs = explicitConnect ? r.duration('connect_timeout', '10s') : Math.min(DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs);

  if (intervalMs > 0 && intervalMs < MIN_INTERVAL_MS) {
    r.problem('interval', "below 10s would exceed Baseten's limit of 6 requests per minute (use 10s or more; 60s is recommended)");
  } else if (intervalMs > 0 && 60_000 / intervalMs > maxRequestsPerMinute) {
    const needed = Math.ceil(60_000 / maxRequestsPerMinute / 1000);
    r.problem('interval', `${intervalMs / 1000}s means ${Math.ceil(60_000 / intervalMs)} requests per minute, above ${prefix}.max_requests_per_minute (${maxRequestsPerMinute}); use ${needed}s or more, or raise max_requests_per_minute (at most 6)`);
  }
  if (r.has('timeout') && timeoutMs === 0) r.problem('timeout', 'must be above 0 (e.g. 20s)');
  if (timeoutMs > 0 && intervalMs > 0 && timeoutMs >= intervalMs) r.problem('timeout', `must be below ${prefix}.interval (e.g. timeout 20s with interval 60s)`);
  if (explicitConnect && (connectTimeoutMs === 0 || connectTimeoutMs > timeoutMs)) r.problem('connect_timeout', `must be above 0 and at most ${prefix}.timeout (e.g. 10s)`);
  if (maxStalenessMs > 0 && intervalMs > 0 && maxStalenessMs < intervalMs) {
    r.problem('max_staleness', `must be at least ${prefix}.interval (the default 5m allows a few failed fetches)`);
  }

  const tlsRaw = (raw.tls_config ?? {}) as Record<string, unknown>;
  const tlsReader = new FieldReader(tlsRaw, `${prefix}.tls_config`);
  const tls: UpstreamConfig['tls'] = { insecureSkipVerify: tlsReader.boolean('insecure_skip_verify', false) };
  const ca = tlsReader.file('ca_file', baseDir);
  if (ca.path) tls.caFile = ca.path;
  if (ca.text !== undefined) tls.ca = ca.text;

  const hint = '0 means no limit';
  const upstream: UpstreamConfig = {
    url,
    intervalMs,
    timeoutMs,
    connectTimeoutMs,
    maxStalenessMs,
    authScheme: r.oneOf('auth_scheme', AUTH_SCHEMES, 'Api-Key'),
    maxRequestsPerMinute,
    bodySizeLimitBytes: r.bytes('body_size_limit', DEFAULT_BODY_SIZE_LIMIT),
    sampleLimit: r.integer('sample_limit', 0, 0, LIMIT_MAX, hint),
    labelLimit: r.integer('label_limit', 0, 0, LIMIT_MAX, hint),
    labelNameLengthLimit: r.integer('label_name_length_limit', 0, 0, LIMIT_MAX, hint),
    labelValueLengthLimit: r.integer('label_value_length_limit', 0, 0, LIMIT_MAX, hint),
    maxInvalidLineRatio: r.ratio('max_invalid_line_ratio', DEFAULT_MAX_INVALID_LINE_RATIO),
    allowInsecureHttp,
    tls,
  };
  const keyFile = r.string('api_key_file');
  if (keyFile) upstream.apiKeyFile = resolve(baseDir, keyFile);
  return { upstream, problems: [...r.problems, ...tlsReader.problems] };
}

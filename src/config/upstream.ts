/** The `upstream:` section: where to fetch, how often, with which limits, and how to authenticate. */
import { resolve } from 'node:path';
import { FieldReader } from './field-reader.js';
import {
  BASETEN_LIMIT_PER_MINUTE,
  DEFAULT_BODY_SIZE_LIMIT,
  DEFAULT_MAX_INVALID_LINE_RATIO,
  DEFAULT_MAX_REQUESTS_PER_MINUTE,
  DEFAULT_SAMPLE_LIMIT,
  DEFAULT_UPSTREAM_URL,
  MIN_BODY_SIZE_LIMIT,
  type RawUpstream,
} from './schema.js';
import { readTiming } from './upstream-timing.js';

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
  const maxRequestsPerMinute = r.integer('max_requests_per_minute', DEFAULT_MAX_REQUESTS_PER_MINUTE, 1, BASETEN_LIMIT_PER_MINUTE, "Baseten allows 6 per organization");
  const { intervalMs, timeoutMs, connectTimeoutMs, maxStalenessMs } = readTiming(r, maxRequestsPerMinute, prefix);
  const bodySizeLimitBytes = r.bytes('body_size_limit', DEFAULT_BODY_SIZE_LIMIT);
  // A bare number is bytes, as in Prometheus: `body_size_limit: 64` meant as 64 MiB would fail every fetch.
  if (bodySizeLimitBytes < MIN_BODY_SIZE_LIMIT) {
    r.problem('body_size_limit', `${bodySizeLimitBytes} bytes is below the floor of 64KiB, too small for any Baseten body (a bare number is bytes: write a unit, e.g. 64MiB)`);
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
    bodySizeLimitBytes,
    sampleLimit: r.integer('sample_limit', DEFAULT_SAMPLE_LIMIT, 0, LIMIT_MAX, hint),
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

/**
 * The `upstream:` section (and each entry of `targets:`): where to fetch, how often, with which limits, and
 * how to authenticate. Read top to bottom: the default, the decoder that reads over it, the checks.
 * Field names are the public contract (DESIGN.md): change them only with a migration note.
 */
import { resolve } from 'node:path';
import type { Decoder } from '../decode/index.js';
import { misplacedKey } from './misplaced.js';
import { decodeTiming, DEFAULT_TIMING } from './upstream-timing.js';

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
  /** Serve each relayed sample with the time of its fetch (snapshot/build.ts BuildOptions.sampleTimestamps). */
  sampleTimestamps: boolean;
  /** Attach a deployment's Baseten identity to its serving engine's series (relabel/engine-identity.ts). */
  engineIdentity: boolean;
  allowInsecureHttp: boolean;
  /** `ca` is the PEM read from tls_config.ca_file at load time. */
  tls: { caFile?: string; ca?: string; insecureSkipVerify: boolean };
}

/** Baseten allows 6 per minute per organization; the default leaves one for humans and scripts. */
export const BASETEN_LIMIT_PER_MINUTE = 6;
/** A limit below this cannot hold any real Baseten body: it is a missing unit, not a choice. */
export const MIN_BODY_SIZE_LIMIT = 64 * 2 ** 10;

export const DEFAULT_UPSTREAM: Readonly<UpstreamConfig> = {
  url: 'https://app.baseten.co/metrics',
  ...DEFAULT_TIMING,
  authScheme: 'Api-Key',
  maxRequestsPerMinute: 5,
  bodySizeLimitBytes: 64 * 2 ** 20,
  /**
   * Series a body may bring (after relabeling): twice the largest organization measured (600 to 1,000 deployments,
   * about 250,000 series), and what keeps the worst body the default body_size_limit lets through (64 MiB of
   * the shortest series) within 1 GiB: it is refused while it is read.
   */
  sampleLimit: 500_000,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  maxInvalidLineRatio: 0.01,
  sampleTimestamps: true,
  engineIdentity: true,
  allowInsecureHttp: false,
  tls: { insecureSkipVerify: false },
};

export const UPSTREAM_KEYS = [
  'url',
  'interval',
  'timeout',
  'connect_timeout',
  'max_staleness',
  'api_key_file',
  'auth_scheme',
  'max_requests_per_minute',
  'body_size_limit',
  'sample_limit',
  'label_limit',
  'label_name_length_limit',
  'label_value_length_limit',
  'max_invalid_line_ratio',
  'sample_timestamps',
  'engine_identity',
  'allow_insecure_http',
  'tls_config',
] as const;
const TLS_KEYS = ['ca_file', 'insecure_skip_verify'];

const LIMIT_MAX = 2 ** 31 - 1;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * `d` is the section (`upstream`, or `targets[2]` whose extra keys are `extraKeys`); `section` names it for
 * misplaced-key advice (`upstream` or `targets[]`).
 */
export function decodeUpstream(
  d: Decoder,
  baseDir: string,
  section = 'upstream',
  extraKeys: readonly string[] = [],
): UpstreamConfig {
  const def = DEFAULT_UPSTREAM;
  const prefix = d.path;
  const tlsSection = d.at('tls_config');
  tlsSection.mapping(TLS_KEYS, `a mapping with fields ${TLS_KEYS.join(', ')}`, (key) =>
    misplacedKey(`${section}.tls_config`, key),
  );
  d.mapping([...UPSTREAM_KEYS, ...extraKeys], `a mapping of upstream fields (e.g. url: ${def.url})`, (key) =>
    misplacedKey(section, key),
  );
  const allowInsecureHttp = d.at('allow_insecure_http').boolean(def.allowInsecureHttp);
  const url = d.at('url').url(def.url, {
    example: def.url,
    schemes: 'use https://',
    credentials: `the key comes from ${prefix}.api_key_file or BASETEN_API_KEY`,
  });
  const maxRequestsPerMinute = d
    .at('max_requests_per_minute')
    .integer(def.maxRequestsPerMinute, 1, BASETEN_LIMIT_PER_MINUTE, 'Baseten allows 6 per organization');
  const timing = decodeTiming(d, maxRequestsPerMinute);
  const bodySizeLimitBytes = d.at('body_size_limit').bytes(def.bodySizeLimitBytes);
  const hint = '0 means no limit';
  const upstream: UpstreamConfig = {
    url: url.text,
    ...timing,
    authScheme: d.at('auth_scheme').oneOf(AUTH_SCHEMES, def.authScheme),
    maxRequestsPerMinute,
    bodySizeLimitBytes,
    sampleLimit: d.at('sample_limit').integer(def.sampleLimit, 0, LIMIT_MAX, hint),
    labelLimit: d.at('label_limit').integer(def.labelLimit, 0, LIMIT_MAX, hint),
    labelNameLengthLimit: d.at('label_name_length_limit').integer(def.labelNameLengthLimit, 0, LIMIT_MAX, hint),
    labelValueLengthLimit: d.at('label_value_length_limit').integer(def.labelValueLengthLimit, 0, LIMIT_MAX, hint),
    maxInvalidLineRatio: d.at('max_invalid_line_ratio').ratio(def.maxInvalidLineRatio),
    sampleTimestamps: d.at('sample_timestamps').boolean(def.sampleTimestamps),
    engineIdentity: d.at('engine_identity').boolean(def.engineIdentity),
    allowInsecureHttp,
    tls: { insecureSkipVerify: def.tls.insecureSkipVerify },
  };
  const keyFile = d.at('api_key_file').string();
  if (keyFile) upstream.apiKeyFile = resolve(baseDir, keyFile);
  upstream.tls.insecureSkipVerify = tlsSection.at('insecure_skip_verify').boolean(def.tls.insecureSkipVerify);
  const ca = tlsSection.at('ca_file').file(baseDir);
  if (ca.path) upstream.tls.caFile = ca.path;
  if (ca.text !== undefined) upstream.tls.ca = ca.text;
  validateUpstream(d, upstream, url.url);
  return upstream;
}

/** The rules between fields (the timing's are decodeTiming's). */
function validateUpstream(d: Decoder, upstream: UpstreamConfig, url: URL | undefined): void {
  if (url?.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !upstream.allowInsecureHttp) {
    d.at('url').problem(
      `plain http would send the API key unencrypted (use https://, or set ${d.path}.allow_insecure_http: true)`,
    );
  }
  // A bare number is bytes, as in Prometheus: `body_size_limit: 64` meant as 64 MiB would fail every fetch.
  if (upstream.bodySizeLimitBytes < MIN_BODY_SIZE_LIMIT) {
    d.at('body_size_limit').problem(
      `${upstream.bodySizeLimitBytes} bytes is below the floor of 64KiB, too small for any Baseten body (a bare number is bytes: write a unit, e.g. 64MiB)`,
    );
  }
}

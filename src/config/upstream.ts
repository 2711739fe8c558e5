/**
 * The `upstream:` section (and each entry of `targets:`): where to fetch, how often, with which limits, and
 * how to authenticate. Each key is declared once below (config-key.ts): its default, how it is read and how the
 * config view shows it; the type, the known keys and the view follow from that. Read top to bottom: the keys,
 * the decoder that reads them, the checks between them.
 * Field names are the public contract (DESIGN.md): change them only with a migration note.
 */
import { resolve } from 'node:path';
import { formatByteSize, formatDuration, type Decoder } from '../decode/index.js';
import { decodeKeys, defaultsOf, viewOf, yamlKeys, type ConfigKey, type ConfigOf } from './config-key.js';
import { misplacedKey } from './misplaced.js';
import { settleTiming } from './upstream-timing.js';

export const AUTH_SCHEMES = ['Api-Key', 'Bearer'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

/** Baseten allows 6 per minute per organization; the default leaves one for humans and scripts. */
export const BASETEN_LIMIT_PER_MINUTE = 6;
/** A limit below this cannot hold any real Baseten body: it is a missing unit, not a choice. */
export const MIN_BODY_SIZE_LIMIT = 64 * 2 ** 10;

/** What a key's decoder may need besides its value. */
interface UpstreamContext {
  /** The config file's folder: relative paths are resolved against it, as Prometheus does. */
  baseDir: string;
  /** The section's path (`upstream`, `targets[2]`), for fixes that name another field of it. */
  path: string;
  /** The section as misplaced-key advice names it: `upstream` or `targets[]`. */
  section: string;
}

const key = <T>(spec: ConfigKey<T, UpstreamContext>) => spec;
const asIs = <T>(value: T) => value;
const duration = (yaml: string, def: number) =>
  key<number>({ yaml, default: def, decode: (d, def) => d.duration(def), show: formatDuration });
const flag = (yaml: string, def: boolean) =>
  key<boolean>({ yaml, default: def, decode: (d, def) => d.boolean(def), show: asIs });
const LIMIT_MAX = 2 ** 31 - 1;
/** Prometheus's scrape limits; 0 means no limit. */
const limit = (yaml: string, def: number) =>
  key<number>({ yaml, default: def, decode: (d, def) => d.integer(def, 0, LIMIT_MAX, '0 means no limit'), show: asIs });

const TLS_KEYS = ['ca_file', 'insecure_skip_verify'];
/** `ca` is the PEM read from tls_config.ca_file at load time. */
type Tls = { caFile?: string; ca?: string; insecureSkipVerify: boolean };

/** The upstream keys, in the order the config view shows them (README's order). */
export const UPSTREAM = {
  url: key<string>({
    yaml: 'url',
    default: 'https://app.baseten.co/metrics',
    decode: (d, def, { path }) =>
      d.url(def, {
        example: def,
        schemes: 'use https://',
        credentials: `the key comes from ${path}.api_key_file or BASETEN_API_KEY`,
      }).text,
    show: asIs,
  }),
  intervalMs: duration('interval', 60_000),
  /** The whole request, from connect to the last body byte; when not set, it follows a short interval. */
  timeoutMs: duration('timeout', 20_000),
  /** Connecting, and any stall without a byte after it (the socket's idle timeout); not set, at most the timeout. */
  connectTimeoutMs: duration('connect_timeout', 10_000),
  maxStalenessMs: duration('max_staleness', 5 * 60_000),
  maxRequestsPerMinute: key<number>({
    yaml: 'max_requests_per_minute',
    default: 5,
    decode: (d, def) => d.integer(def, 1, BASETEN_LIMIT_PER_MINUTE, 'Baseten allows 6 per organization'),
    show: asIs,
  }),
  /** Absolute path (relative paths are resolved against the config file's folder, as Prometheus does). */
  apiKeyFile: key<string | undefined>({
    yaml: 'api_key_file',
    default: undefined,
    decode: (d, def, { baseDir }) => {
      const file = d.string(def);
      return file ? resolve(baseDir, file) : undefined;
    },
    show: asIs,
  }),
  authScheme: key<AuthScheme>({
    yaml: 'auth_scheme',
    default: 'Api-Key',
    decode: (d, def) => d.oneOf(AUTH_SCHEMES, def),
    show: asIs,
  }),
  /** Cap on the decompressed body; the stream is cut there, never buffered whole. */
  bodySizeLimitBytes: key<number>({
    yaml: 'body_size_limit',
    default: 64 * 2 ** 20,
    decode: (d, def) => {
      const bytes = d.bytes(def);
      // A bare number is bytes, as in Prometheus: `body_size_limit: 64` meant as 64 MiB would fail every fetch.
      if (bytes < MIN_BODY_SIZE_LIMIT) {
        d.problem(
          `${bytes} bytes is below the floor of 64KiB, too small for any Baseten body ` +
            '(a bare number is bytes: write a unit, e.g. 64MiB)',
        );
      }
      return bytes;
    },
    show: formatByteSize,
  }),
  /**
   * Series a body may bring (after relabeling): twice the largest organization measured (600 to 1,000 deployments,
   * about 250,000 series), and what keeps the worst body the default body_size_limit lets through (64 MiB of
   * the shortest series) within 1 GiB: it is refused while it is read.
   */
  sampleLimit: limit('sample_limit', 500_000),
  labelLimit: limit('label_limit', 0),
  labelNameLengthLimit: limit('label_name_length_limit', 0),
  labelValueLengthLimit: limit('label_value_length_limit', 0),
  maxInvalidLineRatio: key<number>({
    yaml: 'max_invalid_line_ratio',
    default: 0.01,
    decode: (d, def) => d.ratio(def),
    show: asIs,
  }),
  /**
   * Each relayed sample without a timestamp of its own is served with the time of the fetch that brought it (as
   * /federate does; snapshot/build.ts), so a scraper stores one sample per fetch: an outage is a gap, not a flat
   * line.
   */
  sampleTimestamps: flag('sample_timestamps', true),
  /** A serving engine's series gets its deployment's Baseten identity before the rules (relabel/engine-identity.ts). */
  engineIdentity: flag('engine_identity', true),
  allowInsecureHttp: flag('allow_insecure_http', false),
  /** Extra CAs to trust, and whether to skip verification (never by default). */
  tls: key<Tls>({
    yaml: 'tls_config',
    default: { insecureSkipVerify: false },
    decode: (d, def, { baseDir, section }) => {
      d.mapping(TLS_KEYS, `a mapping with fields ${TLS_KEYS.join(', ')}`, (k) =>
        misplacedKey(`${section}.tls_config`, k),
      );
      const tls: Tls = { insecureSkipVerify: d.at('insecure_skip_verify').boolean(def.insecureSkipVerify) };
      const ca = d.at('ca_file').file(baseDir);
      if (ca.path) tls.caFile = ca.path;
      if (ca.text !== undefined) tls.ca = ca.text;
      return tls;
    },
    show: (tls) => ({
      insecure_skip_verify: tls.insecureSkipVerify,
      ...(tls.caFile !== undefined ? { ca_file: tls.caFile } : {}),
    }),
  }),
};

export type UpstreamConfig = ConfigOf<typeof UPSTREAM>;
export const UPSTREAM_KEYS = yamlKeys(UPSTREAM);
export const DEFAULT_UPSTREAM: Readonly<UpstreamConfig> = defaultsOf(UPSTREAM);

/** The upstream config as people wrote it (config-key.ts viewOf). The key itself is never here: only a path. */
export function upstreamView(up: UpstreamConfig): Record<string, unknown> {
  return viewOf(UPSTREAM, up);
}

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
  d.mapping([...UPSTREAM_KEYS, ...extraKeys], `a mapping of upstream fields (e.g. url: ${DEFAULT_UPSTREAM.url})`, (k) =>
    misplacedKey(section, k),
  );
  const upstream = decodeKeys(UPSTREAM, d, { baseDir, path: d.path, section });
  settleTiming(d, upstream);
  validateUpstream(d, upstream);
  return upstream;
}

/** The rules between fields (the timing's are settleTiming's). */
function validateUpstream(d: Decoder, upstream: UpstreamConfig): void {
  const url = URL.canParse(upstream.url) ? new URL(upstream.url) : undefined;
  if (url?.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !upstream.allowInsecureHttp) {
    d.at('url').problem(
      `plain http would send the API key unencrypted (use https://, or set ${d.path}.allow_insecure_http: true)`,
    );
  }
}

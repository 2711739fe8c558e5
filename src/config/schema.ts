/**
 * The config file's shape and defaults. Field names are the public contract (DESIGN.md):
 * change them only with a migration note. Values are checked by load.ts, which reports every problem
 * with its field path at once.
 */
import { z } from 'zod';

export const DEFAULT_UPSTREAM_URL = 'https://app.baseten.co/metrics';
export const DEFAULT_INTERVAL = '60s';
export const DEFAULT_TIMEOUT = '20s';
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_STALENESS = '5m';
export const DEFAULT_BODY_SIZE_LIMIT = 64 * 2 ** 20;
/** A limit below this cannot hold any real Baseten body: it is a missing unit, not a choice. */
export const MIN_BODY_SIZE_LIMIT = 64 * 2 ** 10;
/** Baseten allows 6 per minute per organization; the default leaves one for humans and scripts. */
export const DEFAULT_MAX_REQUESTS_PER_MINUTE = 5;
export const BASETEN_LIMIT_PER_MINUTE = 6;
export const DEFAULT_MAX_INVALID_LINE_RATIO = 0.01;
/**
 * Series a body may bring (after relabeling) unless the config says otherwise: twice the largest
 * organization measured (1,000 deployments, about 250,000 series), and what keeps the worst body the default
 * body_size_limit lets through (64 MiB of the shortest series) within 1 GiB: it is refused while it is read.
 */
export const DEFAULT_SAMPLE_LIMIT = 500_000;
/** One request every 10 s is Baseten's limit: no interval can be shorter. */
export const MIN_INTERVAL_MS = 10_000;

// Loose types here; load.ts checks values so it can report them beside every other problem.
const value = z.unknown();

export const tlsSchema = z.strictObject({
  ca_file: value.optional(),
  insecure_skip_verify: value.optional(),
});

export const upstreamSchema = z.strictObject({
  url: value.optional(),
  interval: value.optional(),
  timeout: value.optional(),
  connect_timeout: value.optional(),
  max_staleness: value.optional(),
  api_key_file: value.optional(),
  auth_scheme: value.optional(),
  max_requests_per_minute: value.optional(),
  body_size_limit: value.optional(),
  sample_limit: value.optional(),
  label_limit: value.optional(),
  label_name_length_limit: value.optional(),
  label_value_length_limit: value.optional(),
  max_invalid_line_ratio: value.optional(),
  allow_insecure_http: value.optional(),
  tls_config: tlsSchema.nullish(),
});

/** One entry of `targets:`: the upstream fields, plus a name, static labels and its own rules. */
export const targetSchema = upstreamSchema.extend({
  name: value.optional(),
  labels: value.optional(),
  metric_relabel_configs: value.optional(),
});

export const configSchema = z.strictObject({
  upstream: upstreamSchema.nullish(),
  targets: z.array(targetSchema).nullish(),
  // Validated by the relabel module, which reports each rule's index and field.
  metric_relabel_configs: value.optional(),
  // Validated by remote-write.ts, which reports each endpoint's index and field.
  remote_write: value.optional(),
  shard: value.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawUpstream = z.infer<typeof upstreamSchema>;
export type RawTarget = z.infer<typeof targetSchema>;

/** Known keys per YAML path, for "did you mean". */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema.shape),
  upstream: Object.keys(upstreamSchema.shape),
  'upstream.tls_config': Object.keys(tlsSchema.shape),
  'targets[]': Object.keys(targetSchema.shape),
  'targets[].tls_config': Object.keys(tlsSchema.shape),
};

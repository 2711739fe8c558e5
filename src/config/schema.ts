/**
 * The config file's shape and defaults. Field names are the public contract (DESIGN.md):
 * change them only with a migration note.
 */
import { z } from 'zod';

export const DEFAULT_UPSTREAM_URL = 'https://app.baseten.co/metrics';
export const DEFAULT_INTERVAL = '60s';
export const DEFAULT_TIMEOUT = '20s';
export const DEFAULT_MAX_STALENESS = '5m';
/** Baseten allows 6 requests per minute per organization: one every 10 s is the floor. */
export const MIN_INTERVAL_MS = 10_000;

// Durations are checked by load.ts, which can then report them beside every other problem.
const duration = z.unknown();

export const upstreamSchema = z.strictObject({
  url: z.string({ error: 'must be a URL, e.g. https://app.baseten.co/metrics' }).optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  max_staleness: duration.optional(),
  api_key_file: z.string({ error: 'must be a file path' }).optional(),
});

export const configSchema = z.strictObject({
  upstream: upstreamSchema.nullish(),
  // Validated by the relabel module, which reports each rule's index and field.
  metric_relabel_configs: z.unknown().optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

/** Known keys per YAML path, for "did you mean". */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(configSchema.shape),
  upstream: Object.keys(upstreamSchema.shape),
};

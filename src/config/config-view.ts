/**
 * An upstream config as people wrote it: the YAML keys and units of the file (`interval: 15s`,
 * `body_size_limit: 64MiB`), not the internal names (`intervalMs`, `bodySizeLimitBytes`), for the status
 * page's Config section and /api/v1/status. The key itself is never here: only `api_key_file`, a path.
 */
import { formatDuration } from '../decode/index.js';
import type { UpstreamConfig } from './upstream.js';

const SIZES: Array<[unit: string, bytes: number]> = [
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/** Bytes in the largest binary unit that divides them (as parseByteSize reads it back). */
export function formatByteSize(bytes: number): string {
  const unit = SIZES.find(([, size]) => bytes >= size && bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

export function upstreamView(up: UpstreamConfig): Record<string, unknown> {
  const tls: Record<string, unknown> = { insecure_skip_verify: up.tls.insecureSkipVerify };
  if (up.tls.caFile !== undefined) tls.ca_file = up.tls.caFile;
  return {
    url: up.url,
    interval: formatDuration(up.intervalMs),
    timeout: formatDuration(up.timeoutMs),
    connect_timeout: formatDuration(up.connectTimeoutMs),
    max_staleness: formatDuration(up.maxStalenessMs),
    max_requests_per_minute: up.maxRequestsPerMinute,
    ...(up.apiKeyFile !== undefined ? { api_key_file: up.apiKeyFile } : {}),
    auth_scheme: up.authScheme,
    body_size_limit: formatByteSize(up.bodySizeLimitBytes),
    sample_limit: up.sampleLimit,
    label_limit: up.labelLimit,
    label_name_length_limit: up.labelNameLengthLimit,
    label_value_length_limit: up.labelValueLengthLimit,
    max_invalid_line_ratio: up.maxInvalidLineRatio,
    sample_timestamps: up.sampleTimestamps,
    engine_identity: up.engineIdentity,
    allow_insecure_http: up.allowInsecureHttp,
    tls_config: tls,
  };
}

/** @module config — YAML + environment + key sources → one validated, typed Config. */
export { ApiKeyError, cleanKey, resolveApiKey } from './api-key.js';
export type { KeyLookup, ResolvedKey } from './api-key.js';
export { formatDuration, parseDuration } from './duration.js';
export { buildConfig, ConfigError, loadConfig } from './load.js';
export type { Config, UpstreamConfig } from './load.js';
export { MIN_INTERVAL_MS } from './schema.js';

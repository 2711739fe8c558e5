/** @module config — YAML + environment + key sources → one validated, typed Config. */
export { ApiKeyError, cleanKey, resolveApiKey } from './api-key.js';
export type { KeyLookup, ResolvedKey } from './api-key.js';
export { formatByteSize, formatDuration, parseByteSize, parseDuration } from '../decode/index.js';
export { buildConfig, ConfigError, loadConfig } from './load.js';
export type { Config, UpstreamConfig } from './load.js';
export { MIN_INTERVAL_MS } from './upstream-timing.js';
export { AUTH_SCHEMES, BASETEN_LIMIT_PER_MINUTE, DEFAULT_UPSTREAM, UPSTREAM, upstreamView } from './upstream.js';
export type { AuthScheme } from './upstream.js';
export { keyAdvice, keyFileExposure, keyFileOf, KeySource } from './key-source.js';
export type { KeyEvents } from './key-source.js';
export { DEFAULT_TARGET_NAME, rulesPath, TARGET, targetView } from './targets.js';
export type { TargetConfig } from './targets.js';
export { inShard, parseShard, shardOf } from './shard.js';
export type { Shard } from './shard.js';
export { decodeRemoteWrite, readRemoteWrite, REMOTE_WRITE_DEFAULTS } from './remote-write.js';
export type { RemoteWriteConfig } from './remote-write.js';
export type { RemoteWriteAuth } from './remote-write.js';

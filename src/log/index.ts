/** @module log — one line per event, logfmt or JSON; the API key is redacted by the format itself. */
export { createLogger, LOG_FORMATS, LOG_LEVELS } from './logger.js';
export type { Fields } from './line-format.js';
export type { LogFormat, Logger, LoggerOptions, LogLevel } from './logger.js';
export { keyPrefix, keyPublicPart, keySecretPart } from './key-parts.js';
export { SecretRegistry } from './secrets.js';

/**
 * @module web-config — the exporter-toolkit web config (--web.config.file): TLS and basic auth, as every
 * Prometheus exporter reads it.
 */
export { basicAuth } from './basic-auth.js';
export { applyWebConfig, createWebServer } from './web-config-server.js';
export { loadWebConfig, WebConfigError } from './web-config.js';
export type { WebConfig } from './web-config.js';

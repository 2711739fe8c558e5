/** @module server — the HTTP surface scrapers and operators use. */
export { createApp } from './app.js';
export type { AppOptions } from './app.js';
export { listen, parseListenAddress } from './listen.js';
export { basicAuth } from './basic-auth.js';
export { applyWebConfig, createWebServer } from './web-config-server.js';
export { loadWebConfig, WebConfigError } from './web-config.js';
export type { WebConfig } from './web-config.js';
export type { CardinalityReport, CycleRecord, StatusSource, TargetStatus } from './status-source.js';

/** @module server — the scrape endpoints: /metrics, the health probes, and the app that mounts the status page. */
export { createApp } from './app.js';
export type { AppOptions } from './app.js';
export { listen, parseListenAddress } from './listen.js';

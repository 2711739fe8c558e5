/** @module server — the HTTP surface scrapers and operators use. */
export { createApp } from './app.js';
export type { AppOptions } from './app.js';
export { listen, parseListenAddress } from './listen.js';

/** Parses `--web.listen-address` (`HOST:PORT`, `:PORT`, `[::1]:PORT`) and starts listening. */
import type { Server } from 'node:http';
import type { Express } from 'express';
import { createWebServer, type WebConfig } from '../web-config/index.js';

export function parseListenAddress(text: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`--web.listen-address: "${text}" is not HOST:PORT (e.g. :9932 or 127.0.0.1:9932)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/** Listens with TLS when the web config has it, plain HTTP otherwise. */
export function listen(app: Express, address: string, webConfig?: WebConfig): Promise<Server> {
  const { host, port } = parseListenAddress(address);
  return new Promise((resolve, reject) => {
    const server = createWebServer(app, webConfig);
    // Without a host, Node listens on every address (IPv6 and IPv4 where available).
    if (host === undefined) server.listen(port);
    else server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(`--web.listen-address: cannot listen on ${address} (${err.code ?? err.message})`));
    });
  });
}

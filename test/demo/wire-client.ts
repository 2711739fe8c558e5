/**
 * Clients for the fault tests that report what happened on the wire instead of throwing: the status and
 * headers if any arrived, the body as far as it got, the error that ended the exchange, and timings.
 */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Observation {
  /** 0 when no response head arrived. */
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received, up to `keepBytes`. */
  body: Buffer;
  /** Body bytes received, kept or not. */
  bytes: number;
  /** How many reads the body arrived in. */
  pieces: number;
  /** What ended the exchange early: ECONNREFUSED, ECONNRESET, or CLIENT_TIMEOUT (no byte for `timeoutMs`). */
  error?: NodeJS.ErrnoException;
  /** True when the client cut the body itself after `abortAfterBytes`. */
  aborted: boolean;
  elapsedMs: number;
}

export interface ObserveOptions {
  headers?: Record<string, string>;
  /** Give up after this long without a byte (a client timeout, as the bridge's). */
  timeoutMs?: number;
  /** Destroy the connection once more than this many body bytes arrived. */
  abortAfterBytes?: number;
  /** Keep at most this many body bytes. Default: all. */
  keepBytes?: number;
  /** Default: a fresh connection per request. */
  agent?: Agent;
  /** Called when the response head arrives. */
  onResponse?: () => void;
}

function clientTimeout(ms: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`no byte for ${ms} ms`), { code: 'CLIENT_TIMEOUT' });
}

export function observe(url: string, opts: ObserveOptions = {}): Promise<Observation> {
  const startedAt = performance.now();
  const seen: Observation = {
    status: 0,
    headers: {},
    body: Buffer.alloc(0),
    bytes: 0,
    pieces: 0,
    aborted: false,
    elapsedMs: 0,
  };
  const kept: Buffer[] = [];
  const keepBytes = opts.keepBytes ?? Infinity;
  return new Promise((resolve) => {
    let done = false;
    const finish = (error?: NodeJS.ErrnoException): void => {
      if (done) return;
      done = true;
      resolve({ ...seen, body: Buffer.concat(kept), error, elapsedMs: performance.now() - startedAt });
    };
    const req = request(url, { headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      seen.status = res.statusCode ?? 0;
      seen.headers = res.headers;
      opts.onResponse?.();
      res.on('data', (chunk: Buffer) => {
        if (seen.bytes < keepBytes) kept.push(chunk.subarray(0, keepBytes - seen.bytes));
        seen.bytes += chunk.length;
        seen.pieces++;
        if (opts.abortAfterBytes !== undefined && seen.bytes > opts.abortAfterBytes && !seen.aborted) {
          seen.aborted = true;
          req.destroy();
          finish();
        }
      });
      res.on('end', () => finish());
      res.on('error', (err: NodeJS.ErrnoException) => finish(err));
    });
    if (opts.timeoutMs !== undefined) {
      const ms = opts.timeoutMs;
      req.setTimeout(ms, () => req.destroy(clientTimeout(ms)));
    }
    req.on('error', (err: NodeJS.ErrnoException) => finish(err));
    req.end();
  });
}

/** What a bare TCP client sees: every byte, and whether the stream ended with a FIN or an error. */
export interface RawExchange {
  bytes: Buffer;
  /** Undefined after a clean end of stream (FIN). */
  error?: NodeJS.ErrnoException;
}

/** Sends a GET over a bare socket and reads until the server ends or breaks the connection. */
export function rawGet(url: string, headers: Record<string, string>): Promise<RawExchange> {
  const { hostname, port, pathname } = new URL(url);
  const head = [
    `GET ${pathname} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(`${head.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve({ bytes: Buffer.concat(chunks) }));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ bytes: Buffer.concat(chunks), error }));
  });
}

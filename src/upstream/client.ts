/**
 * One GET of Baseten's /metrics with axios: the key in the Authorization header, gzip, connect and total
 * timeouts, a limit on the decompressed body, and no redirects (the key must never travel to another host).
 * Failures come back as data with a bounded reason, never as a thrown error: axios errors carry the request
 * headers (and so the key) in `error.config`, so they are classified here and never passed on.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { UpstreamConfig } from '../config/index.js';
import { VERSION } from '../version.js';
import type { FetchFailureReason, FetchFailure, FetchResult, ReceivedBody } from './fetch-result.js';
import { BodyError, readBody, type ReadBody } from './read-body.js';
import { parseRetryAfter } from './retry-after.js';
import { tlsFailure } from './tls-failure.js';

/**
 * The upstream keys the client reads, as the config decoded them (a key renamed there fails to compile here).
 * A test may leave out those with a default of the client's own.
 */
export type ClientOptions = Pick<UpstreamConfig, 'url' | 'timeoutMs' | 'bodySizeLimitBytes'> &
  Partial<Pick<UpstreamConfig, 'connectTimeoutMs' | 'authScheme'>> & {
    /** Only `ca` (PEM) and `insecureSkipVerify` are read. */
    tls?: Partial<UpstreamConfig['tls']>;
    now?: () => number;
  };

// Text first: it is what Baseten documents; OpenMetrics is parsed too if that is what comes back.
const ACCEPT = 'text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1';
// Error bodies are read only this far: their content is never logged, only their status.
const ERROR_BODY_LIMIT = 64 * 1024;

type Facts = { startedAtMs: number; durationMs: number };

export class UpstreamClient {
  private readonly http: AxiosInstance;
  private readonly now: () => number;
  /** The size of the last good body: the next one is read into a buffer of about that size. */
  private lastBodyBytes = 0;
  /** A buffer nothing points into any more, to read the next body into (see reuse). */
  private spare: Buffer | undefined;

  constructor(private readonly opts: ClientOptions) {
    this.now = opts.now ?? Date.now;
    this.http = axios.create({
      maxRedirects: 0,
      decompress: false,
      responseType: 'stream',
      validateStatus: () => true,
      // axios's timeout is the socket's idle timeout in Node: it covers connecting and stalls.
      timeout: Math.min(opts.connectTimeoutMs ?? opts.timeoutMs, opts.timeoutMs),
      // No HTTP(S)_PROXY from the environment: axios sends https requests to an http proxy without a CONNECT
      // tunnel, which would hand the proxy the key in clear text. The bridge talks to the upstream directly.
      proxy: false,
      ...(opts.tls
        ? {
            httpsAgent: new HttpsAgent({
              ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
              rejectUnauthorized: !opts.tls.insecureSkipVerify,
            }),
          }
        : {}),
    });
  }

  /**
   * One GET. `shutdown` aborts it when the bridge stops. `accepted`: the last body the caller accepted (its
   * `received`); a body that arrives as the same bytes with the same headers comes back `repeated`, not
   * decompressed. Never throws.
   */
  async fetch(apiKey: string, shutdown?: AbortSignal, accepted?: ReceivedBody): Promise<FetchResult> {
    const startedAtMs = this.now();
    const facts = (): Facts => ({ startedAtMs, durationMs: Math.max(0, this.now() - startedAtMs) });
    const totalTimeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = shutdown ? AbortSignal.any([shutdown, totalTimeout]) : totalTimeout;
    const classify = (err: unknown) =>
      shutdown?.aborted && !totalTimeout.aborted
        ? { reason: 'network' as const, message: 'request aborted: the bridge is stopping' }
        : classifyError(err, this.opts, totalTimeout.aborted);
    let response: AxiosResponse<IncomingMessage>;
    try {
      response = await this.http.get<IncomingMessage>(this.opts.url, {
        headers: {
          Authorization: `${this.opts.authScheme ?? 'Api-Key'} ${apiKey}`,
          Accept: ACCEPT,
          'Accept-Encoding': 'gzip',
          'User-Agent': `baseten-metrics-bridge/${VERSION}`,
        },
        signal,
      });
    } catch (err) {
      return { ok: false, ...facts(), bytes: 0, ...classify(err) };
    }
    const status = response.status;
    const ok = status >= 200 && status < 300;
    const wire = { bytes: 0 };
    let read: ReadBody;
    try {
      const encoding = headerText(response.headers['content-encoding']);
      const same =
        accepted !== undefined &&
        accepted.contentEncoding === encoding &&
        accepted.contentType === headerText(response.headers['content-type']);
      const options = {
        expectedBytes: this.lastBodyBytes,
        ...(same ? { accepted: accepted.compressed } : {}),
        ...(this.spare ? { into: this.spare } : {}),
      };
      read = await readBody(
        response.data,
        encoding,
        ok ? this.opts.bodySizeLimitBytes : ERROR_BODY_LIMIT,
        wire,
        ok ? options : {},
      );
      if (ok && !read.repeated) {
        this.lastBodyBytes = read.body.length;
        // The body is the caller's now (a failed read leaves the spare free).
        if (read.body.buffer === this.spare?.buffer) this.spare = undefined;
      }
    } catch (err) {
      if (ok) return { ok: false, ...facts(), status, bytes: wire.bytes, ...classify(err) };
      read = { repeated: false, body: Buffer.alloc(0) };
    }
    return this.interpret(response, read, wire.bytes, facts());
  }

  /**
   * Hands back a buffer no one points into any more (a body the snapshot builder let go, see
   * BuilderClient.takeSpare): the next body is read into it rather than into fresh memory, whose page faults
   * cost about as much as the copy itself at Baseten's sizes.
   */
  reuse(buffer: Buffer): void {
    this.spare = buffer;
  }

  private interpret(response: AxiosResponse<unknown>, read: ReadBody, wireBytes: number, base: Facts): FetchResult {
    const status = response.status;
    const fail = (reason: FetchFailureReason, message: string): FetchFailure => ({
      ok: false,
      ...base,
      status,
      bytes: wireBytes,
      reason,
      message,
    });
    if (status >= 300 && status < 400) {
      return fail(
        'redirect',
        `upstream answered ${status} redirect; not followed so the key stays ` +
          `with ${new URL(this.opts.url).host} (check upstream.url)`,
      );
    }
    if (status === 401 || status === 403) return fail('auth', `upstream rejected the key (HTTP ${status})`);
    if (status === 429) {
      const retryAfter = parseRetryAfter(headerText(response.headers['retry-after']), this.now());
      const failure = fail(
        'rate_limited',
        `upstream rate limit hit (HTTP 429` +
          `${retryAfter !== undefined ? `, retry after ${Math.ceil(retryAfter / 1000)}s` : ''})`,
      );
      if (retryAfter !== undefined) failure.retryAfterMs = retryAfter;
      return failure;
    }
    if (status >= 500) return fail('http_5xx', `upstream error (HTTP ${status})`);
    if (status >= 400 || status < 200) return fail('http_4xx', `upstream refused the request (HTTP ${status})`);
    const contentType = headerText(response.headers['content-type']);
    const contentEncoding = headerText(response.headers['content-encoding']) ?? '';
    const received = (compressed: Buffer): ReceivedBody => ({ compressed, contentEncoding, contentType });
    // The bytes of a body the caller accepted: checked then.
    if (read.repeated)
      return {
        ok: true,
        ...base,
        status,
        bytes: wireBytes,
        body: Buffer.alloc(0),
        contentType,
        received: received(read.compressed),
        repeated: true,
      };
    if (!isUtf8(read.body)) return fail('parse', 'upstream body is not valid UTF-8');
    return {
      ok: true,
      ...base,
      status,
      bytes: wireBytes,
      body: read.body,
      contentType,
      ...(read.compressed ? { received: received(read.compressed) } : {}),
    };
  }
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Turns an axios, socket or body error into a reason and a safe message (an error code, never the error). */
function classifyError(
  err: unknown,
  opts: ClientOptions,
  totalTimedOut: boolean,
): { reason: FetchFailureReason; message: string } {
  if (err instanceof BodyError) {
    if (err.kind === 'too_large') return { reason: 'body_too_large', message: err.message };
    if (err.kind === 'corrupt') return { reason: 'parse', message: err.message };
  }
  const e = err as { code?: string; name?: string };
  const code = typeof e.code === 'string' ? e.code : err instanceof BodyError ? err.message : undefined;
  if (totalTimedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || e.name === 'TimeoutError') {
    const which = totalTimedOut
      ? `${opts.timeoutMs / 1000}s (upstream.timeout)`
      : `${Math.min(opts.connectTimeoutMs ?? opts.timeoutMs, opts.timeoutMs) / 1000}s ` +
        `of silence (upstream.connect_timeout)`;
    return { reason: 'timeout', message: `upstream did not answer within ${which}` };
  }
  const host = new URL(opts.url).host;
  return { reason: 'network', message: tlsFailure(host, code) ?? `cannot reach ${host} (${code ?? 'network error'})` };
}

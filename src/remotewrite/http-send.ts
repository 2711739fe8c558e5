/**
 * One remote-write request: POST a snappy-compressed WriteRequest with the headers of the remote-write 1.0
 * spec, and classify the answer as Prometheus's storage/remote/client.go does: 2xx is done; 5xx, 429 and
 * network errors or timeouts may be retried; any other answer is final. Nothing here throws, and no error
 * text carries the request's headers (they hold credentials).
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { parseRetryAfter } from '../upstream/index.js';
import { VERSION } from '../version.js';

export const USER_AGENT = `baseten-metrics-bridge/${VERSION}`;
/** Enough of an error body to say why (e.g. "out of order sample"), not so much that a log line is a page. */
const DETAIL_BYTES = 256;

export type RetryReason = 'http_5xx' | 'http_429' | 'network' | 'timeout';

export type SendOutcome =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; reason: RetryReason; status?: number; retryAfterMs?: number; detail: string }
  | { kind: 'reject'; status: number; detail: string }
  | { kind: 'aborted' };

export interface SendRequest {
  url: URL;
  body: Buffer;
  headers: Record<string, string>;
  agent: HttpAgent | HttpsAgent;
  timeoutMs: number;
  signal: AbortSignal;
  now: () => number;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, DETAIL_BYTES);
}

function classify(res: IncomingMessage, detail: string, now: number): SendOutcome {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  const text = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const header = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, now);
    return retryAfterMs === undefined
      ? { kind: 'retry', reason: 'http_429', status, detail: text }
      : { kind: 'retry', reason: 'http_429', status, retryAfterMs, detail: text };
  }
  if (status >= 500) return { kind: 'retry', reason: 'http_5xx', status, detail: text };
  return {
    kind: 'reject',
    status,
    detail:
      status >= 300 && status < 400 ? `${text} (redirects are not followed: point url at the final address)` : text,
  };
}

export function sendWriteRequest(req: SendRequest): Promise<SendOutcome> {
  return new Promise((resolve) => {
    if (req.signal.aborted) {
      resolve({ kind: 'aborted' });
      return;
    }
    let settled = false;
    const finish = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const client = send(req.url, {
      method: 'POST',
      agent: req.agent,
      headers: {
        ...req.headers,
        'Content-Encoding': 'snappy',
        'Content-Type': 'application/x-protobuf',
        'Content-Length': String(req.body.length),
        'User-Agent': USER_AGENT,
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
    });
    const timer = setTimeout(() => {
      client.destroy();
      finish({ kind: 'retry', reason: 'timeout', detail: `no answer within remote_timeout (${req.timeoutMs} ms)` });
    }, req.timeoutMs);
    const onAbort = (): void => {
      client.destroy();
      finish({ kind: 'aborted' });
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err: NodeJS.ErrnoException) => {
      // Only the code and the message's first line: node's messages name host and port, never headers.
      finish({
        kind: 'retry',
        reason: 'network',
        detail: oneLine(err.code ? `${err.code}: ${err.message}` : err.message),
      });
    });
    client.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < DETAIL_BYTES) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => finish(classify(res, oneLine(Buffer.concat(chunks).toString('utf8')), req.now())));
      res.on('error', (err) => finish({ kind: 'retry', reason: 'network', detail: oneLine(err.message) }));
      // After 'end' this is a no-op; before it, the connection broke in the middle of the answer.
      res.on('close', () =>
        finish({ kind: 'retry', reason: 'network', detail: 'connection closed before the answer was complete' }),
      );
    });
    client.end(req.body);
  });
}

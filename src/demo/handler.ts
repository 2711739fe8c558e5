/**
 * The simulated endpoint's request handling, in two steps: `decide` turns a request into an outcome
 * (route, auth, rate limit — the order Baseten's gateway plausibly applies), and `writeOutcome` puts the
 * outcome on the wire. Fault modes (fault-hook.ts) slot in between the two: a hook that sees the request
 * facts and the decided outcome, and either replaces the outcome or takes over the response itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { acceptsGzip } from './accept-encoding.js';
import { checkAuthorization } from './api-key.js';
import type { FaultKind } from './faults.js';
import type { Fleet } from './fleet.js';
import type { RollingRateWindow } from './rate-window.js';
import { renderBasetenMetrics } from './render.js';

const gzipAsync = promisify(gzip);

export const METRICS_PATH = '/metrics';
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface SimulatorRequest {
  atMs: number;
  /** The status line sent; 0 when none was (a `hang` fault, or a `refuse` fault's last-moment drop). */
  status: number;
  /** Whether the request carried the right key (false for 401/403 and for unrouted paths without one). */
  authorized: boolean;
  /** The fault that shaped the response; absent when none did (no fault set, or one that let it through). */
  fault?: FaultKind;
  /** With `fault` when it sent a body: body bytes handed to the socket (still growing while it streams). */
  bodyBytes?: number;
}

/**
 * The slot between `decide` and `writeOutcome`. Returns the outcome to write (the decided one, or one it
 * replaces it with), or undefined once it has taken over the response. It may add to `record`.
 */
export type FaultHook = (
  res: ServerResponse,
  facts: RequestFacts,
  outcome: Outcome,
  record: SimulatorRequest,
) => Outcome | undefined;

export interface HandlerState {
  fleet: Fleet;
  apiKey: string;
  rateWindow: RollingRateWindow;
  now: () => number;
  retryAfterSeconds?: number;
  requests: SimulatorRequest[];
  faultHook?: FaultHook;
}

/** What the handler knows about a request before answering it. */
export interface RequestFacts {
  method: string;
  path: string;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
  atMs: number;
}

export type Outcome =
  | { kind: 'metrics'; atMs: number }
  | { kind: 'error'; status: number; body: Record<string, string>; headers?: Record<string, string> };

/** Routes, authenticates and rate-limits one request. Admission into the rate window is its only effect. */
export function decide(facts: RequestFacts, state: HandlerState): { outcome: Outcome; authorized: boolean } {
  const authorized = checkAuthorization(facts.authorization, state.apiKey);
  const isAuthorized = authorized === 'ok';
  if (facts.path !== METRICS_PATH) {
    return {
      outcome: { kind: 'error', status: 404, body: { code: 'NOT_FOUND', message: 'Not found' } },
      authorized: isAuthorized,
    };
  }
  if (facts.method !== 'GET') {
    const body = { code: 'METHOD_NOT_ALLOWED', message: 'Only GET is allowed' };
    return { outcome: { kind: 'error', status: 405, body, headers: { Allow: 'GET' } }, authorized: isAuthorized };
  }
  switch (authorized) {
    case 'missing':
      return {
        outcome: {
          kind: 'error',
          status: 401,
          body: { code: 'UNAUTHENTICATED', message: 'Missing API key' },
          headers: { 'WWW-Authenticate': 'Api-Key' },
        },
        authorized: false,
      };
    case 'rejected':
      return {
        outcome: { kind: 'error', status: 403, body: { code: 'PERMISSION_DENIED', message: 'Invalid API key' } },
        authorized: false,
      };
    case 'ok':
      break;
    default: {
      const unreachable: never = authorized;
      throw new Error(`demo: unknown auth verdict ${String(unreachable)}`);
    }
  }
  if (!state.rateWindow.tryAdmit(facts.atMs).admitted) {
    const headers =
      state.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(state.retryAfterSeconds) };
    const body = { code: 'RESOURCE_EXHAUSTED', message: 'Rate limit exceeded' };
    return { outcome: { kind: 'error', status: 429, body, headers }, authorized: true };
  }
  return { outcome: { kind: 'metrics', atMs: facts.atMs }, authorized: true };
}

function statusOf(outcome: Outcome): number {
  return outcome.kind === 'metrics' ? 200 : outcome.status;
}

/** A metrics body as it goes on the wire: gzipped when the request allows it, with its headers. */
export async function encodeMetricsBody(
  text: Buffer,
  acceptEncoding: string | undefined,
): Promise<{ body: Buffer; headers: Record<string, string | number> }> {
  const useGzip = acceptsGzip(acceptEncoding);
  const body = useGzip ? await gzipAsync(text) : text;
  const headers: Record<string, string | number> = {
    'Content-Type': METRICS_CONTENT_TYPE,
    'Content-Length': body.length,
    Vary: 'Accept-Encoding',
  };
  if (useGzip) headers['Content-Encoding'] = 'gzip';
  return { body, headers };
}

/** Writes an outcome. The metrics body is gzipped when the request allows it. */
export async function writeOutcome(
  res: ServerResponse,
  outcome: Outcome,
  facts: RequestFacts,
  fleet: Fleet,
): Promise<void> {
  if (outcome.kind === 'error') {
    const body = JSON.stringify(outcome.body);
    res.writeHead(outcome.status, {
      ...outcome.headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  const { body, headers } = await encodeMetricsBody(
    Buffer.from(renderBasetenMetrics(fleet, outcome.atMs), 'utf8'),
    facts.acceptEncoding,
  );
  res.writeHead(200, headers);
  res.end(body);
}

/** The answer to a failure while answering: a 500 if nothing was sent yet, else a cut connection. */
export function answerInternalError(res: ServerResponse, err: unknown): void {
  // Rendering is pure; reaching here means a bug or a closed socket. Never echo the cause to the client.
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const body = JSON.stringify({ code: 'INTERNAL', message: 'Internal error' });
  res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function requestFacts(req: IncomingMessage, atMs: number): RequestFacts {
  return {
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://simulator.invalid').pathname,
    authorization: req.headers.authorization,
    acceptEncoding: req.headers['accept-encoding'],
    atMs,
  };
}

/** The node:http listener: records every request in `state.requests`, then answers it. */
export function createRequestHandler(state: HandlerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const facts = requestFacts(req, state.now());
    const { outcome, authorized } = decide(facts, state);
    const record: SimulatorRequest = { atMs: facts.atMs, status: statusOf(outcome), authorized };
    state.requests.push(record);
    const answer = state.faultHook === undefined ? outcome : state.faultHook(res, facts, outcome, record);
    if (answer === undefined) return;
    record.status = statusOf(answer);
    writeOutcome(res, answer, facts, state.fleet).catch((err: unknown) => answerInternalError(res, err));
  };
}

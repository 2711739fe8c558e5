/**
 * The faults answered in one go: a `status` outcome that replaces the decided one, and the faults that
 * send a complete 200 response with a wrong body (empty, HTML, cut gzip, damaged or oversized exposition).
 */
import type { ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { duplicateSeries, invalidUtf8, malformLines, stripHelpType } from './fault-bodies.js';
import type { Fault, FaultStatus } from './faults.js';
import { encodeMetricsBody, METRICS_CONTENT_TYPE, type Outcome, type SimulatorRequest } from './handler.js';

const gzipAsync = promisify(gzip);

/** Bodies in the shape the other Baseten errors have (see decide in handler.ts), codes as in gRPC. */
const STATUS_BODIES: Record<FaultStatus, Record<string, string>> = {
  401: { code: 'UNAUTHENTICATED', message: 'Invalid or expired API key' },
  403: { code: 'PERMISSION_DENIED', message: 'API key lacks permission to export metrics' },
  404: { code: 'NOT_FOUND', message: 'Not found' },
  429: { code: 'RESOURCE_EXHAUSTED', message: 'Rate limit exceeded' },
  500: { code: 'INTERNAL', message: 'Internal error' },
  503: { code: 'UNAVAILABLE', message: 'Service temporarily unavailable' },
};

/** The outcome a `status` fault answers with instead of the decided one. */
export function statusOutcome(fault: Extract<Fault, { kind: 'status' }>): Outcome {
  const headers: Record<string, string> = {};
  // As decide's own 401: a client may look for the scheme it should use.
  if (fault.status === 401) headers['WWW-Authenticate'] = 'Api-Key';
  if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
  return { kind: 'error', status: fault.status, body: { ...STATUS_BODIES[fault.status] }, headers };
}

/** What a load balancer or status page serves in front of an API under maintenance. */
export const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Baseten | Scheduled maintenance</title></head>
<body>
<h1>We'll be right back</h1>
<p>Baseten is undergoing scheduled maintenance. Please try again in a few minutes.</p>
</body>
</html>
`;

/** The faults `sendBodyFault` answers. */
export type BodyFault = Extract<
  Fault,
  {
    kind:
      | 'empty'
      | 'html'
      | 'truncated-gzip'
      | 'malformed-lines'
      | 'invalid-utf8'
      | 'duplicate-series'
      | 'scale'
      | 'no-help-type';
  }
>;

function send(
  res: ServerResponse,
  record: SimulatorRequest,
  headers: Record<string, string | number>,
  body: Buffer,
): void {
  record.status = 200;
  record.bodyBytes = body.length;
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(body);
}

async function sendExposition(
  res: ServerResponse,
  record: SimulatorRequest,
  text: Buffer,
  acceptEncoding: string | undefined,
): Promise<void> {
  const { body, headers } = await encodeMetricsBody(text, acceptEncoding);
  send(res, record, headers, body);
}

/**
 * Answers a body fault. `text` is the healthy exposition of the instant (for `scale`, already rendered
 * from the scaled fleet). Damaged expositions are gzipped like healthy ones when the client allows it.
 */
export async function sendBodyFault(
  res: ServerResponse,
  record: SimulatorRequest,
  fault: BodyFault,
  text: string,
  acceptEncoding: string | undefined,
): Promise<void> {
  switch (fault.kind) {
    case 'empty':
      return send(res, record, { 'Content-Type': METRICS_CONTENT_TYPE }, Buffer.alloc(0));
    case 'html':
      return send(res, record, { 'Content-Type': 'text/html; charset=utf-8' }, Buffer.from(MAINTENANCE_PAGE, 'utf8'));
    case 'truncated-gzip': {
      // Regardless of Accept-Encoding, as a misconfigured proxy would; cut inside the deflate stream.
      const gzipped = await gzipAsync(Buffer.from(text, 'utf8'));
      const headers = { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' };
      return send(res, record, headers, gzipped.subarray(0, Math.floor(gzipped.length / 2)));
    }
    case 'malformed-lines':
      return sendExposition(res, record, Buffer.from(malformLines(text, fault.ratio), 'utf8'), acceptEncoding);
    case 'invalid-utf8':
      return sendExposition(res, record, invalidUtf8(text), acceptEncoding);
    case 'duplicate-series':
      return sendExposition(res, record, Buffer.from(duplicateSeries(text), 'utf8'), acceptEncoding);
    case 'scale':
      return sendExposition(res, record, Buffer.from(text, 'utf8'), acceptEncoding);
    case 'no-help-type':
      return sendExposition(res, record, Buffer.from(stripHelpType(text), 'utf8'), acceptEncoding);
    default: {
      const unreachable: never = fault;
      throw new Error(`demo: unknown body fault ${JSON.stringify(unreachable)}`);
    }
  }
}

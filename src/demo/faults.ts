/**
 * The simulator's fault modes: the ways a real upstream misbehaves on the wire, switched on at run time
 * (`RunningSimulator.setFault`) so the bridge's handling of each can be tested against real sockets.
 * Where each fault sits in request handling, and what `requests` records for it, is in fault-hook.ts.
 */

/** Every fault kind, in the order the fault-injection suite walks them. */
export const FAULT_KINDS = [
  'status',
  'refuse',
  'reset-mid-body',
  'hang',
  'trickle',
  'endless',
  'empty',
  'html',
  'truncated-gzip',
  'malformed-lines',
  'invalid-utf8',
  'duplicate-series',
  'scale',
  'no-help-type',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The statuses a `status` fault may answer with: the ones a client of Baseten must tell apart. */
export const FAULT_STATUSES = [401, 403, 404, 500, 503, 429] as const;

export type FaultStatus = (typeof FAULT_STATUSES)[number];

export type Fault =
  /**
   * That status with a JSON `{"code","message"}` body; `Retry-After` only when given, verbatim (seconds or an HTTP
   * date).
   */
  | { kind: 'status'; status: FaultStatus; retryAfter?: string }
  /** Nothing listens on the port: connections are refused until the fault is cleared. */
  | { kind: 'refuse' }
  /** 200 headers and the first half of the body, then a TCP reset. */
  | { kind: 'reset-mid-body' }
  /** The request is read and never answered. */
  | { kind: 'hang' }
  /** The healthy body, complete, at `bytesPerSecond`. */
  | { kind: 'trickle'; bytesPerSecond: number }
  /** 200 and metric lines that never end (chunked, no Content-Length). */
  | { kind: 'endless' }
  /** 200 with an empty body. */
  | { kind: 'empty' }
  /** 200 with an HTML maintenance page, as a proxy in front of the API would serve. */
  | { kind: 'html' }
  /** `Content-Encoding: gzip` and a gzip stream cut in the middle. */
  | { kind: 'truncated-gzip' }
  /** The healthy body with `ratio` (0–1) of its sample lines replaced by unparsable ones. */
  | { kind: 'malformed-lines'; ratio: number }
  /** The healthy body with invalid UTF-8 inside some label values. */
  | { kind: 'invalid-utf8' }
  /** The healthy body with some sample lines repeated. */
  | { kind: 'duplicate-series' }
  /** The body of an organization with `factor` times the deployments (rounded), the first ones unchanged. */
  | { kind: 'scale'; factor: number }
  /** The healthy body without HELP and TYPE lines. */
  | { kind: 'no-help-type' };

// FAULT_KINDS and the union must name the same kinds: each of these fails to compile when one gains a kind.
const _everyKindListed: Exclude<Fault['kind'], FaultKind> extends never ? true : never = true;
const _everyListedKindTyped: Exclude<FaultKind, Fault['kind']> extends never ? true : never = true;

/** A `Retry-After` value is sent verbatim, so it only has to be a legal header value (visible ASCII and spaces). */
const HEADER_VALUE = /^[\x20-\x7e]+$/;

function isPositiveFinite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Every problem with a fault, each prefixed by the field it concerns; empty when the fault is usable. */
export function faultProblems(fault: Fault): string[] {
  if (typeof fault !== 'object' || fault === null) return [`must be an object with a kind (got ${String(fault)})`];
  const kind = (fault as { kind?: unknown }).kind;
  if (!FAULT_KINDS.includes(kind as FaultKind))
    return [`kind must be one of ${FAULT_KINDS.join(', ')} (got ${String(kind)})`];
  switch (fault.kind) {
    case 'status': {
      const problems: string[] = [];
      if (!FAULT_STATUSES.includes(fault.status)) {
        problems.push(`status must be one of ${FAULT_STATUSES.join(', ')} (got ${String(fault.status)})`);
      }
      if (
        fault.retryAfter !== undefined &&
        (typeof fault.retryAfter !== 'string' || !HEADER_VALUE.test(fault.retryAfter))
      ) {
        problems.push('retryAfter must be a non-empty header value of printable ASCII');
      }
      return problems;
    }
    case 'trickle':
      return isPositiveFinite(fault.bytesPerSecond)
        ? []
        : [`bytesPerSecond must be a positive number (got ${String(fault.bytesPerSecond)})`];
    case 'malformed-lines': {
      const { ratio } = fault;
      return typeof ratio === 'number' && ratio >= 0 && ratio <= 1
        ? []
        : [`ratio must be a number in [0, 1] (got ${String(ratio)})`];
    }
    case 'scale':
      return isPositiveFinite(fault.factor) ? [] : [`factor must be a positive number (got ${String(fault.factor)})`];
    case 'refuse':
    case 'reset-mid-body':
    case 'hang':
    case 'endless':
    case 'empty':
    case 'html':
    case 'truncated-gzip':
    case 'invalid-utf8':
    case 'duplicate-series':
    case 'no-help-type':
      return [];
    default: {
      const unreachable: never = fault;
      throw new Error(`demo: unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}

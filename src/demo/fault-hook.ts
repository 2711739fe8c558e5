/**
 * The fault hook: the slot between `decide` and `writeOutcome` in handler.ts. Where each fault acts:
 *
 * - `refuse` acts on the listening socket (fault-switch.ts): refused connections never reach a handler
 *   and are not in `requests`. A request already in flight when it closed is dropped: status 0.
 * - `hang` acts on every request, whatever its path or key: a stuck server reads nothing. Status 0.
 * - `status` replaces the outcome of requests that passed routing and auth (`GET /metrics`, right key),
 *   including a 429 from the rate limiter. 401/403 for a bad key and 404/405 stay as decided.
 * - every other fault replaces only a 200: auth and the rate limit still answer first. Status 200 (the
 *   status line went out, even when the body was then cut), and `bodyBytes`.
 *
 * `decide` runs first in every case, so each request that reached the server counts against the rate
 * window as it would without a fault (the gateway limits before the backend fails).
 */
import { hang, endless, resetMidBody, trickle, type StreamTarget } from './fault-streams.js';
import { sendBodyFault, statusOutcome, type BodyFault } from './fault-responses.js';
import type { Fault } from './faults.js';
import type { Fleet } from './fleet.js';
import { answerInternalError, encodeMetricsBody, METRICS_PATH, type FaultHook, type RequestFacts } from './handler.js';
import type { OpenResponses } from './open-responses.js';
import { renderBasetenMetrics } from './render.js';

/** A fault as the hook applies it: `fleet` is the one to render (the scaled one for `scale`). */
export interface ActiveFault {
  fault: Fault;
  fleet: Fleet;
}

/** The faults that take over a 200 response. */
type ResponseFault = Exclude<Fault, { kind: 'status' | 'refuse' | 'hang' }>;

async function answer(target: StreamTarget, fault: ResponseFault, fleet: Fleet, facts: RequestFacts): Promise<void> {
  if (fault.kind === 'endless') return endless(target);
  const text = renderBasetenMetrics(fleet, facts.atMs);
  switch (fault.kind) {
    case 'reset-mid-body':
      return resetMidBody(target, Buffer.from(text, 'utf8'));
    case 'trickle': {
      const { body, headers } = await encodeMetricsBody(Buffer.from(text, 'utf8'), facts.acceptEncoding);
      return trickle(target, body, headers, fault.bytesPerSecond);
    }
    default:
      return sendBodyFault(target.res, target.record, fault satisfies BodyFault, text, facts.acceptEncoding);
  }
}

/** The hook for a simulator whose current fault `current()` returns (undefined: healthy). */
export function createFaultHook(current: () => ActiveFault | undefined, open: OpenResponses): FaultHook {
  return (res, facts, outcome, record) => {
    const active = current();
    if (active === undefined) return outcome;
    const { fault } = active;
    switch (fault.kind) {
      case 'refuse':
        record.fault = 'refuse';
        record.status = 0;
        res.destroy();
        return undefined;
      case 'hang':
        record.fault = 'hang';
        hang({ res, record, open });
        return undefined;
      case 'status': {
        const passedAuth = record.authorized && facts.path === METRICS_PATH && facts.method === 'GET';
        if (!passedAuth) return outcome;
        record.fault = 'status';
        return statusOutcome(fault);
      }
      default: {
        if (outcome.kind !== 'metrics') return outcome;
        record.fault = fault.kind;
        answer({ res, record, open }, fault, active.fleet, facts).catch((err: unknown) => {
          if (!res.headersSent) record.status = 500;
          answerInternalError(res, err);
        });
        return undefined;
      }
    }
  };
}

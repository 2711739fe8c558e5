/**
 * POST /api/v1/relabel: `{"series": "<lines>", "rules": [...] | "<yaml>"}` → for each series the labels after
 * each rule and the verdict. Answers in Prometheus's HTTP API envelope (`{"status": "success", "data": ...}`,
 * or `{"status": "error", "errorType": "bad_data", "error": ...}` with a 400), so its clients know the shape.
 * The work runs in worker threads (relabel-runner.ts), bounded in size (relabel-answer.ts), time, memory and
 * concurrency, so no request can hold the event loop that serves /metrics and /-/healthy.
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { RELABEL_API_LIMITS } from './relabel-answer.js';
import type { RelabelRunner } from './relabel-runner.js';
import type { StatusSource } from './status-source.js';

export { RELABEL_API_LIMITS };

export function sendApiError(res: Response, status: number, errorType: string, error: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ status: 'error', errorType, error });
}

export function relabelHandler(status: StatusSource, runner: RelabelRunner): RequestHandler {
  return async (req, res) => {
    // Not req.is(): it answers null for an empty body, which is a bad request, not the wrong media type.
    if (!/^application\/json\s*(;|$)/i.test(req.get('Content-Type') ?? '')) {
      sendApiError(res, 415, 'bad_data', 'relabel: send a JSON body with Content-Type: application/json');
      return;
    }
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const outcome = await runner.run(
      req.body as unknown,
      { rules: status.relabelRules(), identities: status.identities() },
      gone.signal,
    );
    if (gone.signal.aborted) return;
    switch (outcome.status) {
      case 200:
        res.set('Cache-Control', 'no-store').json({ status: 'success', data: outcome.data });
        return;
      case 400:
        sendApiError(res, 400, 'bad_data', outcome.error);
        return;
      case 429:
        res.set('Retry-After', '1');
        sendApiError(res, 429, 'unavailable', outcome.error);
        return;
      case 503:
        sendApiError(res, 503, 'timeout', outcome.error);
        return;
      default: {
        const unreachable: never = outcome;
        throw new Error(`relabel: unexpected outcome ${JSON.stringify(unreachable)}`);
      }
    }
  };
}

/** The JSON body parser, limited; its errors are answered by apiErrors. */
export const jsonBody: RequestHandler = express.json({ limit: RELABEL_API_LIMITS.bodyBytes });

/** Errors under /api/v1 as the API envelope; never the body or a stack trace. */
export const apiErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    sendApiError(
      res,
      413,
      'bad_data',
      `relabel: the body is larger than ${RELABEL_API_LIMITS.bodyBytes} bytes (send fewer series)`,
    );
  } else if (type === 'entity.parse.failed') {
    sendApiError(res, 400, 'bad_data', 'relabel: the body is not valid JSON');
  } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    sendApiError(res, 415, 'bad_data', 'relabel: send the body as UTF-8 JSON, uncompressed or gzip');
  } else {
    sendApiError(res, 500, 'internal', 'status: the bridge could not answer (see its log)');
  }
};

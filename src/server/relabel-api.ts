/**
 * POST /api/v1/relabel: `{"series": "<lines>", "rules": [...] | "<yaml>"}` → for each series the labels after
 * each rule and the verdict. Answers in Prometheus's HTTP API envelope (`{"status": "success", "data": ...}`,
 * or `{"status": "error", "errorType": "bad_data", "error": ...}` with a 400), so its clients know the shape.
 * The work is bounded (series count, series × rules) because it runs on the event loop that serves /metrics.
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { explainSeries } from './relabel-explain.js';
import { parseSeriesLines, readRules, RelabelInputError, writtenRule } from './relabel-input.js';
import type { StatusSource } from './status-source.js';

export const RELABEL_API_LIMITS = {
  bodyBytes: 1024 * 1024,
  series: 1000,
  /** Series × rules: each step copies a label set into the answer. */
  steps: 50_000,
} as const;

const FIELDS: ReadonlySet<string> = new Set(['series', 'rules']);

export function sendApiError(res: Response, status: number, errorType: string, error: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ status: 'error', errorType, error });
}

export function relabelHandler(status: StatusSource): RequestHandler {
  return (req, res) => {
    const body: unknown = req.body;
    // Not req.is(): it answers null for an empty body, which is a bad request, not the wrong media type.
    if (!/^application\/json\s*(;|$)/i.test(req.get('Content-Type') ?? '')) {
      sendApiError(res, 415, 'bad_data', 'relabel: send a JSON body with Content-Type: application/json');
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      sendApiError(res, 400, 'bad_data', 'relabel: the body must be a JSON object such as {"series": "up{job=\\"x\\"}"}');
      return;
    }
    const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) {
      sendApiError(res, 400, 'bad_data', `relabel: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (send "series" and, optionally, "rules")`);
      return;
    }
    const { series: rawSeries, rules: rawRules } = body as { series?: unknown; rules?: unknown };
    const problems: string[] = [];
    const attempt = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (err) {
        if (!(err instanceof RelabelInputError)) throw err;
        problems.push(...err.problems);
        return undefined;
      }
    };
    const series = attempt(() => parseSeriesLines(rawSeries, RELABEL_API_LIMITS.series));
    const rules = attempt(() => readRules(rawRules, status.relabelRules()));
    if (problems.length > 0 || !series || !rules) {
      sendApiError(res, 400, 'bad_data', problems.join('\n'));
      return;
    }
    const steps = series.length * Math.max(rules.rules.length, 1);
    if (steps > RELABEL_API_LIMITS.steps) {
      sendApiError(res, 400, 'bad_data', `relabel: ${series.length} series × ${rules.rules.length} rules is ${steps} steps, at most ${RELABEL_API_LIMITS.steps} per request (trace fewer series at once)`);
      return;
    }
    res.set('Cache-Control', 'no-store').json({
      status: 'success',
      data: { rules: rules.source.map(writtenRule), series: explainSeries(series, rules) },
    });
  };
}

/** The JSON body parser, limited; its errors are answered by apiErrors. */
export const jsonBody: RequestHandler = express.json({ limit: RELABEL_API_LIMITS.bodyBytes });

/** Errors under /api/v1 as the API envelope; never the body or a stack trace. */
export const apiErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    sendApiError(res, 413, 'bad_data', `relabel: the body is larger than ${RELABEL_API_LIMITS.bodyBytes} bytes (send fewer series)`);
  } else if (type === 'entity.parse.failed') {
    sendApiError(res, 400, 'bad_data', 'relabel: the body is not valid JSON');
  } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    sendApiError(res, 415, 'bad_data', 'relabel: send the body as UTF-8 JSON, uncompressed or gzip');
  } else {
    sendApiError(res, 500, 'internal', 'status: the bridge could not answer (see its log)');
  }
};

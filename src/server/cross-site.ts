/**
 * Refuses cross-site requests that change state. A browser lets any page send a "simple" request to the
 * bridge — a form POST (urlencoded, multipart or text/plain) or a body-less `fetch(..., {mode: 'no-cors'})` —
 * without asking first; the page cannot read the answer, but the request still has its effect (a reload).
 * Anything else (e.g. `Content-Type: application/json`) needs a CORS preflight, which the bridge never
 * answers, so a browser never sends it cross-origin. Browsers send `Origin` on every cross-origin POST and
 * `Sec-Fetch-Site` on every request, so a request is accepted when:
 *   - its `Origin`, if present, is the bridge's own (scheme and Host), and
 *   - `Sec-Fetch-Site`, if present, is `same-origin` or `none` (typed into the address bar), and
 *   - a form content type comes with a same-origin `Origin` (a form without one is from an old browser or
 *     a privacy extension that strips it: refused, since nothing tells where it came from).
 * curl, Prometheus tooling and scripts send none of these headers and are unaffected. Same idea as Go's
 * net/http CrossOriginProtection (Go 1.25) and Prometheus's advice to keep the lifecycle API off.
 */
import type { Request, RequestHandler } from 'express';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase();
}

/** Why the request looks cross-site, or undefined when it may go on. */
export function crossSiteProblem(req: Request): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const origin = req.get('origin');
  const sameOrigin = origin !== undefined && origin.toLowerCase() === ownOrigin(req);
  if (origin !== undefined && !sameOrigin) return `Origin ${JSON.stringify(origin.slice(0, 100))} is not this bridge`;
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `Sec-Fetch-Site is ${JSON.stringify(site.slice(0, 20))}`;
  if (FORM_TYPES.test(req.get('content-type') ?? '') && !sameOrigin)
    return 'a form body without a same-origin Origin header';
  return undefined;
}

export const refuseCrossSite: RequestHandler = (req, res, next) => {
  const problem = crossSiteProblem(req);
  if (problem === undefined) return next();
  res
    .status(403)
    .type('text')
    .send(`Forbidden: cross-site request refused (${problem}); send it from the status page or without a browser.\n`);
};

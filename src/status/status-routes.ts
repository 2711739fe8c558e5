/**
 * The routes of the status page, mounted by createApp when the bridge gives it a StatusSource: `/` (HTML),
 * its script and stylesheet, GET /api/v1/status (the same facts as JSON) and POST /api/v1/relabel. They sit
 * behind the app's basic-auth guard like every other route. URLs in the page are relative, so it also works
 * behind a reverse proxy that adds a path prefix.
 */
import { Router, type Request, type Response } from 'express';
import { FAVICON_SVG } from './assets/favicon.js';
import { STATUS_PAGE_SCRIPT } from './assets/status-page-script.js';
import { STATUS_PAGE_STYLE } from './assets/status-page-style.js';
import { apiErrors, jsonBody, relabelHandler, sendApiError } from './relabel-api.js';
import { RelabelRunner } from './relabel-runner.js';
import { writtenRule } from './relabel-input.js';
import { renderStatusPage, STATUS_PAGE_CSP } from './status-page.js';
import type { StatusSource } from './status-source.js';

export interface StatusRouteOptions {
  status: StatusSource;
  telemetryPath: string;
  ready: () => boolean;
  /** --web.enable-lifecycle: whether the page offers its reload button. */
  lifecycle: boolean;
  /** Runs the relabel debugger's traces off the event loop; one with the default bounds unless given. */
  runner?: RelabelRunner;
  /** Milliseconds since the epoch; Date.now unless a test fixes it. */
  now?: () => number;
}

function asset(type: string, body: string) {
  return (_req: Request, res: Response): void => {
    res.type(type).set('Cache-Control', 'no-cache').send(body);
  };
}

export function statusRoutes(opts: StatusRouteOptions): Router {
  const now = opts.now ?? Date.now;
  const router = Router();
  router.get('/assets/status-page.js', asset('text/javascript; charset=utf-8', STATUS_PAGE_SCRIPT));
  router.get('/assets/status-page.css', asset('text/css; charset=utf-8', STATUS_PAGE_STYLE));
  router.get('/assets/favicon.svg', asset('image/svg+xml', FAVICON_SVG));
  router.get('/', (_req, res) => {
    let page: string;
    try {
      page = renderStatusPage({
        status: opts.status,
        telemetryPath: opts.telemetryPath,
        ready: opts.ready(),
        nowMs: now(),
        lifecycle: opts.lifecycle,
      });
    } catch {
      res.status(500).type('text').send('status: the bridge could not report its status (see its log)\n');
      return;
    }
    res
      .type('html')
      .set({
        'Content-Security-Policy': STATUS_PAGE_CSP,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      })
      .send(page);
  });
  router.get('/api/v1/status', (_req, res) => {
    const { status } = opts;
    res.set('Cache-Control', 'no-store').json({
      status: 'success',
      data: {
        nowMs: now(),
        ready: opts.ready(),
        targets: status.targets(),
        cardinality: status.cardinality(),
        relabelRules: status.relabelRules().map(writtenRule),
        config: status.configView(),
      },
    });
  });
  router.post('/api/v1/relabel', jsonBody, relabelHandler(opts.status, opts.runner ?? new RelabelRunner()));
  router.all('/api/v1/relabel', (_req, res) => {
    res.set('Allow', 'POST');
    sendApiError(res, 405, 'bad_data', 'relabel: use POST with a JSON body');
  });
  router.use('/api/v1', apiErrors);
  return router;
}

/**
 * @module server — express app: /metrics, /-/healthy, /-/ready, /-/reload and the status page.
 * Reads snapshots; never calls upstream.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { refuseCrossSite } from './cross-site.js';
import { metricsHandler, type ServedExposition } from './metrics-handler.js';
import { statusRoutes, type StatusSource } from '../status/index.js';

export interface AppOptions {
  telemetryPath: string;
  /** The data to serve: one target's snapshot store, or the merge of every target's. */
  store: ServedExposition;
  registry: Registry;
  /** Re-reads the config; resolves to the problems found (empty when it was applied). */
  reload: () => Promise<string[]>;
  /** --web.enable-lifecycle: without it /-/reload answers 403 (SIGHUP still reloads), as Prometheus. */
  lifecycle: boolean;
  /** Runs before every route, after the default headers: basic auth from --web.config.file. */
  guard?: RequestHandler;
  /** The running bridge's status: mounts the status page at `/` and /api/v1/status, /api/v1/relabel. */
  status?: StatusSource;
  /** Whether /-/ready says 200; by default, whether there is fresh data to serve. */
  ready?: () => boolean;
}

export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  // Before basic auth: a browser attaches its saved credentials to a cross-site form post too.
  app.use(refuseCrossSite);
  if (opts.guard) app.use(opts.guard);
  const ready = opts.ready ?? (() => opts.store.servable() !== undefined);
  app.get(opts.telemetryPath, metricsHandler(opts.store, opts.registry));
  app.get('/-/healthy', (_req, res) => {
    res.type('text').send('Healthy.\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (ready())
      res
        .type('text')
        .send(opts.status?.targets().length === 0 ? 'Ready: no target falls in this shard.\n' : 'Ready.\n');
    else res.status(503).type('text').send('Not ready: no Baseten data fresher than max_staleness yet.\n');
  });
  app.post('/-/reload', reloadHandler(opts));
  app.put('/-/reload', reloadHandler(opts));
  if (opts.status) {
    app.use(statusRoutes({ status: opts.status, telemetryPath: opts.telemetryPath, ready, lifecycle: opts.lifecycle }));
  }
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found.\n');
  });
  return app;
}

/** A reload's answer: the config is in place, but what /metrics serves changes only as each target fetches again. */
const RELOADED =
  'Reloaded. Each target applies the new config (relabel rules included) ' +
  'from its next fetch; until then /metrics serves what the last one built.\n';

/** One reload at a time: a second request while one runs is told to retry rather than queued. */
function reloadHandler(opts: AppOptions): RequestHandler {
  let running = false;
  return async (_req, res) => {
    if (!opts.lifecycle) {
      res
        .status(403)
        .type('text')
        .send('Lifecycle API is not enabled: start the bridge with --web.enable-lifecycle, or send it SIGHUP.\n');
      return;
    }
    if (running) {
      res
        .status(429)
        .set('Retry-After', '1')
        .type('text')
        .send('A reload is already running; try again in a second.\n');
      return;
    }
    running = true;
    try {
      const problems = await opts.reload();
      if (problems.length === 0) res.type('text').send(RELOADED);
      else
        res
          .status(500)
          .type('text')
          .send(`Reload failed; the previous config keeps running:\n${problems.join('\n')}\n`);
    } finally {
      running = false;
    }
  };
}

/**
 * @module server — express app: /metrics, /-/healthy, /-/ready, /-/reload and the status page (or, without a
 * status source, the landing page).
 * Reads snapshots; never calls upstream.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { landingPage } from './landing-page.js';
import { metricsHandler, type ServedExposition } from './metrics-handler.js';
import type { StatusSource } from './status-source.js';
import { statusRoutes } from './status-routes.js';

export interface AppOptions {
  telemetryPath: string;
  /** The data to serve: one target's snapshot store, or the merge of every target's. */
  store: ServedExposition;
  registry: Registry;
  upstreamHost: string;
  /** Re-reads the config; resolves to the problems found (empty when it was applied). */
  reload: () => Promise<string[]>;
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
  if (opts.guard) app.use(opts.guard);
  const ready = opts.ready ?? (() => opts.store.servable() !== undefined);
  app.get(opts.telemetryPath, metricsHandler(opts.store, opts.registry));
  app.get('/-/healthy', (_req, res) => {
    res.type('text').send('Healthy.\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (ready()) res.type('text').send(opts.status?.targets().length === 0 ? 'Ready: no target falls in this shard.\n' : 'Ready.\n');
    else res.status(503).type('text').send('Not ready: no Baseten data fresher than max_staleness yet.\n');
  });
  const reload = async (_req: express.Request, res: express.Response) => {
    const problems = await opts.reload();
    if (problems.length === 0) res.type('text').send('Reloaded.\n');
    else res.status(500).type('text').send(`Reload failed; the previous config keeps running:\n${problems.join('\n')}\n`);
  };
  app.post('/-/reload', reload);
  app.put('/-/reload', reload);
  if (opts.status) {
    app.use(statusRoutes({ status: opts.status, telemetryPath: opts.telemetryPath, ready }));
  } else if (opts.telemetryPath !== '/') {
    app.get('/', landingPage({ telemetryPath: opts.telemetryPath, upstreamHost: opts.upstreamHost, ready }));
  }
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found.\n');
  });
  return app;
}

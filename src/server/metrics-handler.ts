/**
 * GET /metrics: the latest snapshot's pre-rendered bytes (gzip when asked), then the bridge's own metrics.
 * Two gzip members back to back are one valid gzip stream (RFC 1952 section 2.2; Go's reader, which
 * Prometheus uses, reads them as one), so the large snapshot is never recompressed per scrape.
 */
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { TEXT_CONTENT_TYPE } from '../exposition/index.js';

/** What /metrics serves: undefined before the first good cycle and once every target's data is stale. */
export interface ServedExposition {
  servable(): { readonly text: Buffer; readonly gzip: Buffer } | undefined;
}

export function metricsHandler(store: ServedExposition, registry: Registry) {
  return async (req: Request, res: Response): Promise<void> => {
    const snapshot = store.servable();
    const own = Buffer.from(await registry.metrics(), 'utf8');
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    res.setHeader('Content-Type', TEXT_CONTENT_TYPE);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept-Encoding');
    if (gzip) {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(snapshot ? Buffer.concat([snapshot.gzip, gzipSync(own)]) : gzipSync(own));
    } else {
      res.end(snapshot ? Buffer.concat([snapshot.text, own]) : own);
    }
  };
}

/**
 * GET /metrics: the latest snapshot's pre-rendered bytes (gzip when asked), then the bridge's own metrics.
 * Two gzip members back to back are one valid gzip stream (RFC 1952 section 2.2; Go's reader, which
 * Prometheus uses, reads them as one), so the large snapshot is never recompressed per scrape.
 */
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { TEXT_CONTENT_TYPE } from '../exposition/index.js';

/** Bytes as one buffer, or as slices to write one after the other (several targets' families, merged). */
export type Bytes = Buffer | readonly Buffer[];

/** What /metrics serves: undefined before the first good cycle and once every target's data is stale. */
export interface ServedExposition {
  servable(): { readonly text: Bytes; readonly gzip: Bytes } | undefined;
}

/** Writes the parts and then the last buffer, without joining them into one large copy first. */
function send(res: Response, parts: Bytes | undefined, last: Buffer): void {
  const list = parts === undefined ? [] : Buffer.isBuffer(parts) ? [parts] : parts;
  let length = last.length;
  for (const part of list) length += part.length;
  res.setHeader('Content-Length', length);
  res.cork();
  for (const part of list) res.write(part);
  res.end(last);
  res.uncork();
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
      send(res, snapshot?.gzip, gzipSync(own));
    } else {
      send(res, snapshot?.text, own);
    }
  };
}

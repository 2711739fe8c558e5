/**
 * Content types of the two formats, and the choice of parser for an upstream response.
 * The strings are those of prometheus/common expfmt/expfmt.go (FmtText, FmtOpenMetrics_1_0_0).
 */
import type { ExpositionFormat } from './model.js';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const OPENMETRICS_MEDIA_TYPE = 'application/openmetrics-text';

/**
 * Picks the parser for a response's Content-Type. Anything that is not OpenMetrics (missing header,
 * `text/plain`, an unknown type) is read as text 0.0.4, as Prometheus's scrape loop falls back to it
 * (scrape/scrape.go, `fallback_scrape_protocol` defaulting to PrometheusText0.0.4).
 */
export function formatFromContentType(contentType: string | undefined): ExpositionFormat {
  if (contentType === undefined) return 'text';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === OPENMETRICS_MEDIA_TYPE ? 'openmetrics' : 'text';
}

/**
 * From one response body to a snapshot, all or nothing: parse, skip a few bad lines (too many fail the
 * cycle), relabel, regroup, check the limits, render. Never throws on anything the upstream sends.
 */
import { formatFromContentType, parseExposition } from '../exposition/index.js';
import type { InvalidLine } from '../exposition/model.js';
import type { SeriesRelabelCache } from '../relabel/series-cache.js';
import type { DropReason } from '../selfmetrics/bridge-metrics.js';
import { assembleFamilies } from './assemble.js';
import { checkLimits, type ScrapeLimits } from './limits.js';
import { createSnapshot, type Snapshot } from './snapshot.js';

export interface BuildOptions {
  cache: SeriesRelabelCache;
  limits: ScrapeLimits;
  maxInvalidLineRatio: number;
  helpSuffix: string;
  fetchedAtMs: number;
}

export type BuildResult =
  | { ok: true; snapshot: Snapshot; invalidLines: InvalidLine[]; dropped: Map<DropReason, number> }
  | { ok: false; reason: 'parse' | 'sample_limit' | 'label_limit'; message: string; invalidLines: InvalidLine[] };

function describeLine(line: InvalidLine): string {
  return `line ${line.line}: ${line.reason} (${JSON.stringify(line.excerpt)})`;
}

export function buildSnapshot(body: string, contentType: string | undefined, opts: BuildOptions): BuildResult {
  if (body.trim() === '') return { ok: false, reason: 'parse', message: 'upstream answered 200 with an empty body', invalidLines: [] };
  const parsed = parseExposition(body, formatFromContentType(contentType));
  const { invalidLines, totalLines } = parsed;
  const ratio = totalLines === 0 ? 1 : invalidLines.length / totalLines;
  if (invalidLines.length > 0 && ratio > opts.maxInvalidLineRatio) {
    const looksHtml = /^\s*<(!doctype|html)/i.test(body);
    const what = looksHtml ? 'an HTML page, not metrics' : `${invalidLines.length} of ${totalLines} lines invalid, above upstream.max_invalid_line_ratio ${opts.maxInvalidLineRatio}`;
    return { ok: false, reason: 'parse', message: `upstream body is ${what}; first bad ${describeLine(invalidLines[0]!)}`, invalidLines };
  }
  opts.cache.beginCycle();
  const assembled = assembleFamilies(parsed.families, opts.cache, opts.helpSuffix);
  if (assembled.seriesOut === 0 && assembled.seriesIn === 0) {
    return { ok: false, reason: 'parse', message: 'upstream body holds no samples', invalidLines };
  }
  const breach = checkLimits(assembled.families, assembled.seriesOut, opts.limits);
  if (breach) return { ok: false, ...breach, invalidLines };
  const snapshot = createSnapshot(assembled.families, opts.fetchedAtMs, assembled.seriesIn, assembled.seriesOut);
  return { ok: true, snapshot, invalidLines, dropped: assembled.dropped };
}

export { describeLine };

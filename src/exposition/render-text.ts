/**
 * Writes families as Prometheus text 0.0.4, the layout of expfmt/text_create.go: per family one
 * `# HELP` (when there is help) and one `# TYPE`, then its samples; no `{}` for an empty label set;
 * timestamps in integer milliseconds. Exemplars and units do not exist in this format and are dropped;
 * OpenMetrics-only shapes are split into text families as textBlocks (family-names.ts) describes.
 * Families without samples are skipped, so a family emptied by relabelling leaves no metadata behind.
 */
import { ChunkedText } from './chunked-text.js';
import { escapeHelpText } from './escape.js';
import { textBlocks } from './family-names.js';
import { formatSampleLine } from './format-sample.js';
import type { MetricFamily } from './model.js';

export function renderText(families: readonly MetricFamily[]): string {
  const out = new ChunkedText();
  for (const family of families) {
    if (family.samples.length === 0) continue;
    for (const block of textBlocks(family)) {
      if (family.help !== undefined) out.append(`# HELP ${block.name} ${escapeHelpText(family.help)}\n`);
      out.append(`# TYPE ${block.name} ${block.type}\n`);
      for (const s of block.samples) out.append(`${formatSampleLine(s.name, s.labels, s.value, s.timestampMs)}\n`);
    }
  }
  return out.finish();
}

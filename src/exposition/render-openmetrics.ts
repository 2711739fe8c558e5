/**
 * Writes families as OpenMetrics 1.0, in the layout of client_golang's expfmt/openmetrics_create.go:
 * per family `# TYPE`, `# UNIT` (when set), `# HELP` (when set), then its samples, and `# EOF` last.
 * Counters are named without `_total` and their samples carry it; untyped becomes `unknown`;
 * timestamps are seconds; exemplars are written after ` # `.
 */
import { ChunkedText } from './chunked-text.js';
import { escapeHelpOpenMetrics } from './escape.js';
import { formatLabels } from './format-sample.js';
import { openMetricsFamilyName, openMetricsSampleName, openMetricsType } from './family-names.js';
import { formatTimestampSeconds, formatValue } from './format-value.js';
import type { Exemplar, MetricFamily, Sample } from './model.js';

function formatExemplar(exemplar: Exemplar): string {
  const line = ` # ${formatLabels(exemplar.labels) || '{}'} ${formatValue(exemplar.value)}`;
  return exemplar.timestampMs === undefined ? line : `${line} ${formatTimestampSeconds(exemplar.timestampMs)}`;
}

function formatSample(name: string, sample: Sample): string {
  let line = `${name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`;
  if (sample.timestampMs !== undefined) line += ` ${formatTimestampSeconds(sample.timestampMs)}`;
  if (sample.exemplar !== undefined) line += formatExemplar(sample.exemplar);
  return line;
}

export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  const out = new ChunkedText();
  for (const family of families) {
    if (family.samples.length === 0) continue;
    const name = openMetricsFamilyName(family);
    out.append(`# TYPE ${name} ${openMetricsType(family.type)}\n`);
    // A unit that is not the name's suffix would make the whole exposition invalid (the spec's
    // "MetricFamily name ... MUST have the unit as a suffix"): leave it out instead.
    if (family.unit !== undefined && family.unit !== '' && name.endsWith(`_${family.unit}`)) {
      out.append(`# UNIT ${name} ${family.unit}\n`);
    }
    if (family.help !== undefined) out.append(`# HELP ${name} ${escapeHelpOpenMetrics(family.help)}\n`);
    for (const sample of family.samples) {
      out.append(`${formatSample(openMetricsSampleName(family, name, sample.name), sample)}\n`);
    }
  }
  out.append('# EOF\n');
  return out.finish();
}

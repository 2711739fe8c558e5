/**
 * Sample lines and label sets as text. The label syntax is the same in both formats; the sample line
 * here is text 0.0.4's (expfmt/text_create.go writeSample), which other modules use to write single
 * series (the bridge's own output, relabel tests) without building a family.
 */
import { escapeLabelValue } from './escape.js';
import { formatTimestampMs, formatValue } from './format-value.js';
import type { LabelPairs } from './model.js';

/** `{a="1",b="2"}`, or `` for no labels. Shared by both formats, whose label syntax is the same. */
export function formatLabels(labels: LabelPairs): string {
  if (labels.length === 0) return '';
  let out = '';
  for (const [name, value] of labels) out += `${out === '' ? '{' : ','}${name}="${escapeLabelValue(value)}"`;
  return `${out}}`;
}

/** One text 0.0.4 sample line, without the trailing newline: `name{labels} value [timestampMs]`. */
export function formatSampleLine(name: string, labels: LabelPairs, value: number, timestampMs?: number): string {
  const line = `${name}${formatLabels(labels)} ${formatValue(value)}`;
  return timestampMs === undefined ? line : `${line} ${formatTimestampMs(timestampMs)}`;
}

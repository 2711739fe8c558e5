/**
 * @module exposition — reader and renderer for Prometheus text 0.0.4 and OpenMetrics 1.0, knowing
 * nothing of Baseten or HTTP: a body is read by the one reader (LineScanner) and, where a line must be read
 * whole, by the one-line readers (SampleLineReader, readCommentLine); families in, body out (renderText,
 * renderOpenMetrics).
 */
export type {
  Exemplar,
  ExpositionFormat,
  InvalidLine,
  InvalidLineKind,
  LabelPairs,
  MetricFamily,
  MetricType,
  Sample,
} from './model.js';
export { readCommentLine } from './comment-line.js';
export { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, formatFromContentType } from './content-type.js';
export { renderText } from './render-text.js';
export { renderOpenMetrics } from './render-openmetrics.js';
export { formatLabels, formatSampleLine } from './format-sample.js';
export { formatTimestampMs, formatValue } from './format-value.js';
export { LINE_BLANK, LINE_COMMENT, LINE_SAMPLE, LineScanner } from './line-scanner.js';
export type { LineKind } from './line-scanner.js';
export { escapeHelpOpenMetrics, escapeHelpText, escapeLabelValue } from './escape.js';
export { isValidLabelName, isValidMetricName } from './chars.js';
export { ownedSuffixes } from './family-names.js';
export { parseGoFloat, parseIntegerTimestamp } from './parse-number.js';
export { readPastedSeries } from './pasted-series.js';
export type { SeriesLine } from './pasted-series.js';
export {
  CH_BACKSLASH,
  CH_COMMA,
  CH_EQUALS,
  CH_LBRACE,
  CH_LF,
  CH_LOWER_N,
  CH_QUOTE,
  CH_RBRACE,
  CH_SPACE,
} from './chars.js';
export { openMetricsFamilyName } from './family-names.js';
export { KNOWN_SUFFIXES } from './family-names.js';
export { CH_CR, CH_TAB } from './chars.js';
export { invalidLine } from './invalid-line.js';
export { SampleLineReader } from './sample-line.js';
export { isPlainDecimal, isTextTimestamp, readOtherValue } from './parse-number.js';
export { CH_HASH } from './chars.js';

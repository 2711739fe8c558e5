import { describe, expect, it } from 'vitest';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, formatFromContentType } from '../../src/exposition/index.js';

describe('formatFromContentType', () => {
  it.each<[string | undefined, 'text' | 'openmetrics']>([
    [undefined, 'text'],
    ['', 'text'],
    ['text/plain', 'text'],
    [TEXT_CONTENT_TYPE, 'text'],
    [OPENMETRICS_CONTENT_TYPE, 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text ; version=0.0.1', 'openmetrics'],
    ['application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily', 'text'],
    ['application/json', 'text'],
  ])('%j → %s', (contentType, format) => {
    expect(formatFromContentType(contentType)).toBe(format);
  });
});

/** How a latency threshold maps to a bucket boundary, and the le regex that matches its spellings. */
import { describe, expect, it } from 'vitest';
import { chooseBucket, leRegexFor } from '../../src/rules/index.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

describe('chooseBucket', () => {
  it.each([
    [2.5, BUCKETS, 2.5],
    [3, BUCKETS, 2.5],
    [4.999, BUCKETS, 2.5],
    [60, BUCKETS, 60],
    [120, BUCKETS, 60],
    [0.3, undefined, 0.3],
  ])('threshold %d s with %j → le %d', (threshold, buckets, boundary) => {
    expect(chooseBucket(threshold, buckets).boundary).toBe(boundary);
  });

  it('says when the boundary is under the threshold', () => {
    expect(chooseBucket(3, BUCKETS).note).toBe(
      'threshold 3s is not a bucket boundary: le="2.5" (the largest at or ' +
        'under it) is used, so requests between 2.5s and 3s count as slow',
    );
  });

  it('refuses a threshold under every boundary', () => {
    expect(() => chooseBucket(0.001, BUCKETS)).toThrow(
      'no bucket boundary at or under the threshold 0.001s (smallest is 0.005s)',
    );
  });
});

describe('leRegexFor', () => {
  // The PromQL string unescapes `\\` to `\`: that is the regex Prometheus runs (fully anchored, as RE2 in PromQL).
  const regexOf = (value: number) => new RegExp(`^(?:${leRegexFor(value).replace(/\\\\/g, '\\')})$`);

  it.each([
    [2.5, ['2.5', '2.50', '2.500'], ['25', '2.51', '2x5', '12.5']],
    [60, ['60', '60.0', '60.00'], ['600', '6', '60.5', '60.']],
    [0.25, ['0.25', '0.250'], ['.25', '0.2', '0x25']],
  ])('%d matches %j and not %j', (value, yes, no) => {
    for (const text of yes) expect(regexOf(value).test(text), text).toBe(true);
    for (const text of no) expect(regexOf(value).test(text), text).toBe(false);
  });

  it('refuses exponent forms', () => {
    expect(() => leRegexFor(1e-7)).toThrow('1e-7 cannot be matched as an le label');
  });
});

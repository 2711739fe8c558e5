import { describe, expect, it } from 'vitest';
import { formatTimestampMs, formatTimestampSeconds, formatValue } from '../../src/exposition/format-value.js';

// Expected strings are Go's strconv.FormatFloat(v, 'g', -1, 64), after expfmt's writeFloat special
// cases (NaN, +Inf, -Inf), except -0, kept as Prometheus stores it. Go switches to an exponent when the decimal
// exponent is < -4 or >= 6.
describe('formatValue', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [-1, '-1'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [0.5, '0.5'],
    [0.1, '0.1'],
    [0.001, '0.001'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000123, '0.000123'],
    [0.0000123, '1.23e-05'],
    [1.5e-7, '1.5e-07'],
    [-1.5e-7, '-1.5e-07'],
    [12.47, '12.47'],
    [100000, '100000'],
    [999999, '999999'],
    [999999.5, '999999.5'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [123456789, '1.23456789e+08'],
    [1458255915, '1.458255915e+09'],
    [1700000000.5, '1.7000000005e+09'],
    [1.6106127e10, '1.6106127e+10'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-3982045, '-3.982045e+06'],
  ])('%s → %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe('timestamps', () => {
  it.each<[number, string, string]>([
    [1700000000123, '1700000000123', '1.700000000123e+09'],
    [1395066363000, '1395066363000', '1.395066363e+09'],
    [1, '1', '0.001'],
    [0, '0', '0'],
    [-5, '-5', '-0.005'],
  ])('%s ms → text %s, OpenMetrics %s', (ms, text, seconds) => {
    expect(formatTimestampMs(ms)).toBe(text);
    expect(formatTimestampSeconds(ms)).toBe(seconds);
  });
});

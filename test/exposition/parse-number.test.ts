import { describe, expect, it } from 'vitest';
import {
  isOutOfRangeFloat,
  parseGoFloat,
  parseIntegerTimestamp,
  parseSecondsTimestamp,
} from '../../src/exposition/parse-number.js';

// Expected values are what Go's strconv.ParseFloat returns (with Prometheus's ban on `p` and `_`).
describe('parseGoFloat', () => {
  it.each<[string, number | undefined]>([
    ['0', 0],
    ['-0', -0],
    ['1', 1],
    ['+1', 1],
    ['-1.5', -1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e+06', 1e6],
    ['1E6', 1e6],
    ['1.5e-07', 1.5e-7],
    ['1.458255915e9', 1458255915],
    ['1e-400', 0],
    ['NaN', NaN],
    ['nan', NaN],
    ['Inf', Infinity],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['-inf', -Infinity],
    ['+Infinity', Infinity],
    ['infinity', Infinity],
    ['', undefined],
    ['+', undefined],
    ['.', undefined],
    ['e5', undefined],
    ['1e', undefined],
    ['1e+', undefined],
    ['0x10', undefined],
    ['0x1p-2', undefined],
    ['0b1', undefined],
    ['1_000', undefined],
    ['+NaN', undefined],
    ['infin', undefined],
    ['Infinityy', undefined],
    [' 1', undefined],
    ['1 ', undefined],
    ['1e400', undefined],
    ['-1e400', undefined],
  ])('%j → %s', (token, expected) => {
    expect(parseGoFloat(token)).toBe(expected);
  });
});

describe('isOutOfRangeFloat', () => {
  it.each<[string, boolean]>([
    ['1e400', true],
    ['-1e400', true],
    ['1e308', false],
    ['Inf', false],
    ['abc', false],
  ])('%j → %s', (token, expected) => {
    expect(isOutOfRangeFloat(token)).toBe(expected);
  });
});

describe('parseIntegerTimestamp', () => {
  it.each<[string, number | undefined]>([
    ['1700000000123', 1700000000123],
    // promlex.l: `{D}+`, no sign.
    ['-5', undefined],
    ['+5', undefined],
    ['-0', undefined],
    ['0', 0],
    ['0009', 9],
    ['9223372036854775807', 9223372036854774784],
    ['09223372036854775807', 9223372036854774784],
    ['1.5', undefined],
    ['1e3', undefined],
    ['', undefined],
    ['-', undefined],
    ['9223372036854775808', undefined],
  ])('%j → %s', (token, expected) => {
    expect(parseIntegerTimestamp(token)).toBe(expected);
  });
});

describe('parseSecondsTimestamp', () => {
  it.each<[string, number | undefined]>([
    ['1700000000', 1700000000000],
    ['1700000000.123', 1700000000123],
    ['1.7000000005e+09', 1700000000500],
    ['0.001', 1],
    ['NaN', undefined],
    ['+Inf', undefined],
    ['soon', undefined],
    ['-1', undefined],
    ['1e17', undefined],
  ])('%j → %s', (token, expected) => {
    expect(parseSecondsTimestamp(token)).toBe(expected);
  });
});

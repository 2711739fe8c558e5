import { describe, expect, it } from 'vitest';
import { formatPythonFloat, pythonRepr } from '../../src/demo/python-float.js';

// Each row as CPython 3.11 prints repr(float(v)) and prometheus_client's floatToGoString(v).
describe('numbers as prometheus_client writes them', () => {
  it.each<[number, string, string]>([
    [4, '4.0', '4.0'],
    [0, '0.0', '0.0'],
    [-0, '-0.0', '-0.0'],
    [0.001, '0.001', '0.001'],
    [2560, '2560.0', '2560.0'],
    [123456, '123456.0', '123456.0'],
    [1234567, '1234567.0', '1.234567e+06'],
    [1_000_000, '1000000.0', '1e+06'],
    [8128902, '8128902.0', '8.128902e+06'],
    [1735689600, '1735689600.0', '1.7356896e+09'],
    [1735689600.123456, '1735689600.123456', '1.735689600123456e+09'],
    [1234567890123456, '1234567890123456.0', '1.234567890123456e+015'],
    [1e16, '1e+16', '1e+16'],
    [1e22, '1e+22', '1e+22'],
    [0.0001, '0.0001', '0.0001'],
    [0.00001, '1e-05', '1e-05'],
    [1.5e-7, '1.5e-07', '1.5e-07'],
    [-1234567.5, '-1234567.5', '-1234567.5'],
    [0.1 + 0.2, '0.30000000000000004', '0.30000000000000004'],
    [5e-324, '5e-324', '5e-324'],
  ])('%d: repr %s, written %s', (value, repr, written) => {
    expect(pythonRepr(value)).toBe(repr);
    expect(formatPythonFloat(value)).toBe(written);
  });

  it.each<[number, string]>([
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('%d is written %s', (value, written) => {
    expect(formatPythonFloat(value)).toBe(written);
  });
});

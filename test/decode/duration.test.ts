import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/decode/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['1d', 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['0', 0],
    ['1h2m3s4ms', 3_723_004],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '60', '1.5s', '1s1m', '-1s', '1 s', 's', '1sec'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [60_000, '1m'],
    [0, '0s'],
    [1_500, '1s500ms'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

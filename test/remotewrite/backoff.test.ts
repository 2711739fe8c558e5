import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_CAP_MS, retryDelay } from '../../src/remotewrite/backoff.js';

const policy = { minBackoffMs: 30, maxBackoffMs: 5_000 };

describe('retryDelay', () => {
  it.each([
    [1, undefined, 30],
    [2, undefined, 60],
    [3, undefined, 120],
    [8, undefined, 3_840],
    [9, undefined, 5_000],
    [1_000, undefined, 5_000],
    [1, 2_000, 2_000],
    [5, 0, 0],
    [1, 3_600_000, RETRY_AFTER_CAP_MS],
  ])('after %d failures with Retry-After %s waits %d ms', (retries, retryAfter, expected) => {
    expect(retryDelay(policy, retries, retryAfter)).toBe(expected);
  });
});

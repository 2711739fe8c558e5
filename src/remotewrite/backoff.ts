/**
 * Delay before retrying a batch, as storage/remote/queue_manager.go sendWriteRequestWithBackoff: the first
 * retry after min_backoff, doubling up to max_backoff; a 429's Retry-After replaces the computed delay
 * (capped, so a receiver cannot park the queue for hours).
 */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

export interface BackoffPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** `retries` counts the failed attempts of this batch so far (1 after the first failure). */
export function retryDelay(policy: BackoffPolicy, retries: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
  const exponent = Math.min(Math.max(0, retries - 1), 30);
  return Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** exponent);
}

/**
 * Bucket boundaries of the simulated histograms. Baseten does not document its boundaries (the bridge
 * must discover them from the data); these are plausible choices in the units each family names.
 * Every set gets a final `+Inf` bucket when rendered.
 */

/** Request latency in seconds: 5 ms to 60 s, the client libraries' defaults stretched for LLM calls. */
export const LATENCY_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** Time spent in the async queue, in seconds: 50 ms to an hour. */
export const QUEUE_SECONDS = [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** Request and response sizes in bytes: powers of 4 from 256 B to 64 MiB. */
export const SIZE_BYTES = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] as const;

/** Tokens per request: powers of 4 from 16 to 65,536, then 131,072 (long-context models). */
export const TOKENS = [16, 64, 256, 1024, 4096, 16384, 65536, 131072] as const;

/** Decode speed of one request in tokens per second. */
export const TOKENS_PER_SECOND = [1, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500] as const;

/** KV-cache hit ratio, 0 to 1 in tenths; `le="0"` holds the requests with no hit at all. */
export const RATIO = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/**
 * A bucket set ready to render: the bounds and their `le` label values. `le` is written the way Go's
 * `strconv.FormatFloat(b, 'g', -1, 64)` and JavaScript's `String(b)` agree on for these values
 * (`60`, not Python client's `60.0`): Baseten's own choice is undocumented.
 */
export interface BucketSet {
  bounds: readonly number[];
  /** `le` values for each bound, then `+Inf`. */
  le: readonly string[];
}

/** `formatLe` writes each bound: String for Baseten's own families, formatPythonFloat for the engines'. */
export function bucketSet(bounds: readonly number[], formatLe: (bound: number) => string = String): BucketSet {
  return { bounds, le: [...bounds.map(formatLe), '+Inf'] };
}

export const BUCKETS = {
  latency: bucketSet(LATENCY_SECONDS),
  queue: bucketSet(QUEUE_SECONDS),
  size: bucketSet(SIZE_BYTES),
  tokens: bucketSet(TOKENS),
  tokensPerSecond: bucketSet(TOKENS_PER_SECOND),
  ratio: bucketSet(RATIO),
} as const;

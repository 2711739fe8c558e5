/** What one fetch of Baseten's /metrics produced: a body to parse, or a failure with a bounded reason. */

/**
 * Why a fetch gave no body to build: some of the `reason` values of `baseten_bridge_fetch_failures_total` (the
 * build adds its own, snapshot/reasons.ts). `parse`: the client could not decompress the body or it is not
 * UTF-8.
 */
export const FETCH_FAILURE_REASONS = [
  'timeout',
  'network',
  'redirect',
  'auth',
  'rate_limited',
  'http_4xx',
  'http_5xx',
  'body_too_large',
  'parse',
  /** The body holds an API key the bridge sends (an upstream or proxy echoing the Authorization header). */
  'key_in_body',
] as const;
export type FetchFailureReason = (typeof FETCH_FAILURE_REASONS)[number];

export interface FetchFacts {
  startedAtMs: number;
  durationMs: number;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Bytes received on the wire (compressed when gzip was used). */
  bytes: number;
}

export interface FetchSuccess extends FetchFacts {
  ok: true;
  /** The decompressed body, checked to be valid UTF-8 (empty when `repeated`). */
  body: Buffer;
  contentType: string | undefined;
  /** The body as received, when it came compressed: what "the same body" means next time. */
  received?: ReceivedBody;
  /** The body is the accepted one the caller passed, byte for byte: the text was not decompressed again. */
  repeated?: true;
}

/** A compressed body as it came, and the headers that say how to read it. */
export interface ReceivedBody {
  compressed: Buffer;
  contentEncoding: string;
  contentType: string | undefined;
}

export interface FetchFailure extends FetchFacts {
  ok: false;
  reason: FetchFailureReason;
  /** Safe to log: never the key, headers or the body. */
  message: string;
  /** From a 429's Retry-After header, when present. */
  retryAfterMs?: number;
}

export type FetchResult = FetchSuccess | FetchFailure;

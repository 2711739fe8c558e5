/**
 * How a latency threshold becomes a histogram bucket. A classic Prometheus histogram can only answer "how many
 * requests took at most `le` seconds" for its own boundaries, and Baseten does not document its boundaries
 * (BASETEN.md), so:
 *
 * - with `buckets` listed in the SLO file, the boundary used is the largest one at or under the threshold:
 *   requests between that boundary and the threshold count as bad, so the SLI can only under-report
 *   (an alert may fire early, never late);
 * - without `buckets`, the threshold itself must be a boundary.
 *
 * The `le` label is matched by a regex that accepts the spellings exporters use for the same number
 * (`2.5`, `2.50`; `60`, `60.0`): Prometheus 2.x stores `le` as the text it scraped, and the bridge relays
 * Baseten's text unchanged.
 */
import { ProblemsError } from '../problems-error.js';

export interface BucketChoice {
  /** The boundary, in seconds. */
  boundary: number;
  /** Regex for the `le` label, for use inside a PromQL double-quoted string (backslashes doubled). */
  leRegex: string;
  /** Why this boundary, for the generated file's comment. */
  note: string;
}

/** A threshold no bucket can express: one problem, reported at the SLO's threshold. */
export class BucketChoiceError extends ProblemsError {
  override name = 'BucketChoiceError';
  constructor(problem: string) {
    super('', [problem]);
  }
}

/** A regex matching the decimal spellings of `value` (no exponent forms: latency boundaries are small). */
export function leRegexFor(value: number): string {
  const text = String(value);
  if (/e/i.test(text))
    throw new BucketChoiceError(`${text} cannot be matched as an le label; use a boundary written without an exponent`);
  const [whole, fraction] = text.split('.');
  // `\\.` inside a PromQL string is a regex `\.`: a literal dot.
  return fraction === undefined ? `${whole}(\\\\.0+)?` : `${whole}\\\\.${fraction}0*`;
}

export function chooseBucket(thresholdSeconds: number, buckets: readonly number[] | undefined): BucketChoice {
  if (buckets === undefined) {
    return {
      boundary: thresholdSeconds,
      leRegex: leRegexFor(thresholdSeconds),
      note:
        `threshold ${thresholdSeconds}s used as the bucket boundary le="${thresholdSeconds}" ` +
        `(no buckets listed: it must be one of the histogram's boundaries)`,
    };
  }
  const atOrUnder = buckets.filter((b) => b <= thresholdSeconds);
  const boundary = atOrUnder[atOrUnder.length - 1];
  if (boundary === undefined) {
    throw new BucketChoiceError(
      `no bucket boundary at or under the threshold ${thresholdSeconds}s ` +
        `(smallest is ${buckets[0]}s): raise the threshold or check the buckets`,
    );
  }
  const note =
    boundary === thresholdSeconds
      ? `threshold ${thresholdSeconds}s is the bucket boundary le="${boundary}"`
      : `threshold ${thresholdSeconds}s is not a bucket boundary: le="${boundary}" ` +
        `(the largest at or under it) is used, so requests between ${boundary}s ` +
        `and ${thresholdSeconds}s count as slow`;
  return { boundary, leRegex: leRegexFor(boundary), note };
}

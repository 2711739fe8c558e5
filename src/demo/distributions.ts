/**
 * Shapes of the simulated histograms: for each finite bucket bound, the fraction of observations at or
 * below it, and the mean observation. A histogram with `count` observations then has
 * `bucket[i] = floor(count * fraction[i])` and `sum = count * mean`, which keeps the buckets cumulative
 * (fractions never decrease), `+Inf == _count`, and every series monotonic as `count` grows.
 */

export interface Shape {
  /** Cumulative fraction at each finite bound, non-decreasing, within [0, 1]. */
  fractions: readonly number[];
  /** Mean observation, so `_sum = _count * mean`. */
  mean: number;
}

/** One log-normal component of a mixture: its weight, its median and the sigma of its logarithm. */
export interface LogNormalPart {
  weight: number;
  median: number;
  sigma: number;
}

/** Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7): ample for synthetic data. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Turns a CDF into clamped, non-decreasing fractions (guards against approximation wobble). */
function toFractions(bounds: readonly number[], cdf: (x: number) => number): number[] {
  const fractions: number[] = [];
  let previous = 0;
  for (const bound of bounds) {
    previous = Math.min(1, Math.max(previous, cdf(bound)));
    fractions.push(previous);
  }
  return fractions;
}

/** A weighted mixture of log-normals, e.g. warm requests plus a thin tail of cold starts. */
export function logNormalMixture(bounds: readonly number[], parts: readonly LogNormalPart[]): Shape {
  const total = parts.reduce((acc, part) => acc + part.weight, 0);
  const cdf = (x: number): number =>
    x <= 0
      ? 0
      : parts.reduce(
          (acc, part) => acc + (part.weight / total) * normalCdf((Math.log(x) - Math.log(part.median)) / part.sigma),
          0,
        );
  const mean = parts.reduce(
    (acc, part) => acc + (part.weight / total) * part.median * Math.exp((part.sigma * part.sigma) / 2),
    0,
  );
  return { fractions: toFractions(bounds, cdf), mean };
}

/** A single log-normal. */
export function logNormal(bounds: readonly number[], median: number, sigma: number): Shape {
  return logNormalMixture(bounds, [{ weight: 1, median, sigma }]);
}

/**
 * A ratio in [0, 1]: an atom at exactly 0 (e.g. requests with no KV-cache hit at all) plus a normal
 * truncated to [0, 1].
 */
export function unitRatio(bounds: readonly number[], zeroWeight: number, mu: number, sigma: number): Shape {
  const alpha = (0 - mu) / sigma;
  const beta = (1 - mu) / sigma;
  const z = normalCdf(beta) - normalCdf(alpha);
  const truncated = (x: number): number => {
    if (x < 0) return 0;
    if (x >= 1) return 1;
    return (normalCdf((x - mu) / sigma) - normalCdf(alpha)) / z;
  };
  const cdf = (x: number): number => (x < 0 ? 0 : zeroWeight + (1 - zeroWeight) * truncated(x));
  const truncatedMean = mu + (sigma * (normalPdf(alpha) - normalPdf(beta))) / z;
  return { fractions: toFractions(bounds, cdf), mean: (1 - zeroWeight) * truncatedMean };
}

/** Buckets and sum of a histogram of `count` observations of `shape`; integer units floor the sum. */
export function observe(shape: Shape, count: number, integerUnits: boolean): { buckets: number[]; sum: number } {
  const buckets = shape.fractions.map((fraction) => Math.floor(count * fraction));
  const raw = count * shape.mean;
  // Both roundings are monotonic in `count`, so `_sum` never decreases between fetches.
  const sum = integerUnits ? Math.floor(raw) : Math.round(raw * 1e6) / 1e6;
  return { buckets, sum };
}

/**
 * Whether a latency threshold can fire: a classic histogram answers only for its own `le` boundaries, and a
 * matcher on a boundary the histogram does not have selects nothing, so the SLO's alerts would never fire.
 * Checked against the boundaries the file lists, or those seen on Baseten's data (`rules --probe`); without
 * either, said to be unchecked. Warnings, not errors: the rules are still valid PromQL.
 */

/** The boundaries just under and over `value`, for "nearest: 1s and 2.5s". */
function nearest(value: number, buckets: readonly number[]): string {
  const under = buckets.filter((b) => b < value).at(-1);
  const over = buckets.find((b) => b > value);
  return [under, over]
    .filter((b): b is number => b !== undefined)
    .map((b) => `${b}s`)
    .join(' and ');
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface BucketCheck {
  /** The boundaries to choose from: the ones seen when there are some, else the listed ones. */
  buckets?: number[];
  warnings: string[];
}

/**
 * `listed`: the file's `buckets:`; `seen`: the metric's boundaries in Baseten's data (sorted, no +Inf), if probed.
 * `path` is the YAML path of the latency objective.
 */
export function checkBuckets(
  thresholdSeconds: number,
  metric: string,
  listed: number[] | undefined,
  seen: number[] | undefined,
  path: string,
): BucketCheck {
  const warnings: string[] = [];
  if (seen !== undefined && seen.length === 0) {
    warnings.push(
      `${path}: Baseten's data has no ${metric}_bucket series yet, so the ` +
        `threshold is unchecked (probe again once the models have traffic)`,
    );
  }
  const known = seen !== undefined && seen.length > 0 ? seen : listed;
  if (listed && seen && seen.length > 0 && !sameList(listed, seen)) {
    warnings.push(
      `${path}.buckets: differ from the boundaries seen on Baseten's ` +
        `${metric} (${seen.join(', ')}); the ones seen are used, update the file`,
    );
  }
  if (known === undefined) {
    warnings.push(
      `${path}.threshold: ${thresholdSeconds}s is used as le="${thresholdSeconds}" ` +
        `unchecked: Baseten does not document its bucket boundaries, and if it ` +
        `is not one no series matches and the SLO alerts never fire; list the ` +
        `le values under buckets:, or run rules with --probe to read them from Baseten`,
    );
    return { warnings };
  }
  if (!known.includes(thresholdSeconds)) {
    const under = known.filter((b) => b <= thresholdSeconds).at(-1);
    const use =
      under === undefined
        ? 'no boundary is at or under it'
        : `le="${under}" is used, so requests between ${under}s and ${thresholdSeconds}s count as slow`;
    warnings.push(
      `${path}.threshold: ${thresholdSeconds}s is not a bucket boundary of ` +
        `${metric} (nearest: ${nearest(thresholdSeconds, known)}); ${use}; set ` +
        `the threshold to a boundary to measure exactly it`,
    );
  }
  return { buckets: known, warnings };
}

/** The `le` boundaries of each `_bucket` family in an exposition, sorted, without +Inf. */
export function bucketsInExposition(text: string): Map<string, number[]> {
  const found = new Map<string, Set<number>>();
  for (const match of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\{[^\n]*?\ble="([^"]*)"/gm)) {
    const value = Number(match[2]);
    if (!Number.isFinite(value)) continue;
    let set = found.get(match[1]!);
    if (!set) found.set(match[1]!, (set = new Set()));
    set.add(value);
  }
  return new Map([...found].map(([name, set]) => [name, [...set].sort((a, b) => a - b)]));
}

/** One engine's histogram checked for a threshold: the grid to use, or why the threshold cannot be measured on it. */
export interface EngineBucketCheck {
  buckets: number[];
  /** To follow the threshold's path: the threshold is not a boundary of this engine's grid. */
  problem?: string;
  warnings: string[];
}

/**
 * An engine's grid is documented (`documented`), and the engines' grids differ: unlike Baseten's, a threshold must
 * be one of the boundaries of every engine the objective reads, or the SLI would judge each engine at a different
 * threshold. `seen`: the boundaries `--probe` read from Baseten (the engine's flags can change them), used when
 * there are some. `others`: the grids of the other engines the objective reads, for the boundaries they share.
 */
export function checkEngineBuckets(
  thresholdSeconds: number,
  family: string,
  documented: readonly number[],
  seen: number[] | undefined,
  others: ReadonlyArray<readonly number[]>,
  path: string,
): EngineBucketCheck {
  const warnings: string[] = [];
  const buckets = seen !== undefined && seen.length > 0 ? seen : [...documented];
  if (seen !== undefined && seen.length > 0 && !sameList(seen, documented)) {
    warnings.push(
      `${path}: the boundaries seen on Baseten's ${family} (${seen.join(', ')}) ` +
        `are not the engine's defaults; the ones seen are used`,
    );
  }
  if (buckets.includes(thresholdSeconds)) return { buckets, warnings };
  const shared = buckets.filter((b) => others.every((grid) => grid.includes(b)));
  const use =
    others.length === 0
      ? 'use one of its boundaries'
      : `use a boundary every engine has (${shared.map((b) => `${b}s`).join(', ')})`;
  return {
    buckets,
    problem:
      `${thresholdSeconds}s is not a bucket boundary of ${family} (nearest: ` +
      `${nearest(thresholdSeconds, buckets)}), and the histogram counts ` +
      `requests only at its boundaries: ${use}`,
    warnings,
  };
}

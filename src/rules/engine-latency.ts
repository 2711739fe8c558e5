/**
 * The serving engines' latency histograms as SLO indicators (`latency.metric: engine_time_to_first_token` or
 * `engine_inter_token_latency`), for the models served by vLLM or SGLang: the bridge attaches the deployment's
 * model_id, model_name and environment to their series. The SLI counts the good and all of every engine the
 * objective reads (`engines:`, both by default) together, so a model moving from one engine to the other keeps one
 * ratio; the threshold must be a boundary of each engine's grid (bucket-check.ts).
 */
import type { Decoder } from '../decode/index.js';
import { checkEngineBuckets } from './bucket-check.js';
import { ENGINE_BUCKETS, ENGINE_FAMILIES, ENGINE_TITLES, ENGINES, type Engine } from './engine-families.js';

/** Each engine metric's families and grids (engine-families.ts), how alerts name it, and what its histogram counts. */
export const ENGINE_LATENCY_METRICS = {
  engine_time_to_first_token: { family: 'timeToFirstToken', title: 'time to first token', counts: 'requests' },
  engine_inter_token_latency: {
    family: 'interTokenLatency',
    title: 'inter-token latency',
    counts: 'the gaps between output tokens',
  },
} as const;
export type EngineLatencyMetric = keyof typeof ENGINE_LATENCY_METRICS;

/** One histogram an SLI reads: its families (an engine's old name after the current one) share its buckets. */
export interface LatencyHistogram {
  families: readonly string[];
  /** The boundaries the threshold is checked against, when known. */
  buckets?: number[];
  /** Set for an engine's histogram: its engine reports per rank (engine-families.ts ranksOnce). */
  engine?: Engine;
}

export function isEngineMetric(metric: string): metric is EngineLatencyMetric {
  return metric in ENGINE_LATENCY_METRICS;
}

/** `engines:` (both when absent): a non-empty list of vllm and sglang, each once. */
export function decodeEngines(d: Decoder): Engine[] | undefined {
  if (d.value === undefined) return [...ENGINES];
  const list = d.value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((e) => (ENGINES as readonly unknown[]).includes(e)) ||
    new Set(list).size !== list.length
  ) {
    d.problem(
      `must be a list of the engines the objective reads, each once: ` +
        `${ENGINES.join(', ')} (got ${JSON.stringify(list)})`,
    );
    return undefined;
  }
  return ENGINES.filter((engine) => list.includes(engine));
}

/**
 * The histograms of `engines` for `metric`, each with its grid; a threshold that is not a boundary of one is a
 * problem at `latency.threshold`. `seenBuckets`: the boundaries `--probe` read, by family name.
 */
export function engineHistograms(
  thresholdSeconds: number,
  metric: EngineLatencyMetric,
  engines: readonly Engine[],
  seenBuckets: ReadonlyMap<string, number[]> | undefined,
  latency: Decoder,
  warnings: string[],
): LatencyHistogram[] | undefined {
  const key = ENGINE_LATENCY_METRICS[metric].family;
  const grids = engines.map((engine) => {
    const families = ENGINE_FAMILIES[key][engine];
    const seen = seenBuckets
      ? families.map((family) => seenBuckets.get(family) ?? []).find((b) => b.length > 0)
      : undefined;
    return { engine, families, documented: ENGINE_BUCKETS[key][engine], seen };
  });
  let ok = true;
  const histograms = grids.map(({ engine, families, documented, seen }) => {
    const others = grids.filter((g) => g.engine !== engine).map((g) => g.seen ?? g.documented);
    const checked = checkEngineBuckets(thresholdSeconds, families[0]!, documented, seen, others, latency.path);
    warnings.push(...checked.warnings);
    if (checked.problem) {
      const rest = engines.filter((e) => e !== engine);
      latency
        .at('threshold')
        .problem(
          rest.length > 0
            ? `${checked.problem}, or leave ${ENGINE_TITLES[engine]} out (engines: [${rest.join(', ')}])`
            : checked.problem,
        );
      ok = false;
    }
    return { families, buckets: checked.buckets, engine };
  });
  return ok ? histograms : undefined;
}

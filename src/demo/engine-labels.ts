/**
 * The labels of one replica's engine series. Baseten relays `deployment_id` and `replica` on every engine series;
 * whether the engine's own labels survive the relay is not documented (ENGINES.md), so the fleet says which shape
 * it relays. Labels are written as prometheus_client writes them: sorted by name (`sorted(samples.labels.items())`
 * in exposition.py), `le` and the per-metric labels in their sorted place rather than last.
 */
import type { EngineTraffic } from './engine-traffic.js';
import { labelPairs } from './exposition-writer.js';

type Pair = readonly [string, string];

function byName([a]: Pair, [b]: Pair): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A label set rendered once; a series adds at most one label to it. */
export class SortedLabels {
  /** Every label of the set, `name="value",…` (no braces). */
  readonly text: string;
  private readonly pairs: readonly Pair[];
  private readonly beforeLe: string;
  private readonly afterLe: string;
  private readonly withOne = new Map<string, string>();

  constructor(pairs: readonly Pair[]) {
    this.pairs = [...pairs].sort(byName);
    this.text = labelPairs(this.pairs);
    const before = labelPairs(this.pairs.filter(([name]) => name < 'le'));
    const after = labelPairs(this.pairs.filter(([name]) => name > 'le'));
    this.beforeLe = before === '' ? '' : `${before},`;
    this.afterLe = after === '' ? '' : `,${after}`;
  }

  /** The set with `le="<le>"` in its place: a histogram bucket's labels. */
  withLe(le: string): string {
    return `${this.beforeLe}le="${le}"${this.afterLe}`;
  }

  /** The set with one more label in its place (e.g. `finished_reason`); remembered, as its values are few. */
  with(name: string, value: string): string {
    const key = `${name}\u0000${value}`;
    let text = this.withOne.get(key);
    if (text === undefined) {
      text = labelPairs([...this.pairs, [name, value] as const].sort(byName));
      this.withOne.set(key, text);
    }
    return text;
  }
}

export interface ReplicaEngineLabels {
  /** `deployment_id`, `replica` and, in the relay shape that keeps them, the engine's own labels. */
  series: SortedLabels;
  /** `vllm:cache_config_info`'s (vLLM only): the cache's configuration, and no `model_name` (vLLM writes none). */
  cacheConfig?: string;
}

/** The engine's own labels: the served model, and the rank labels of a single-GPU-group engine. */
function ownLabels(traffic: EngineTraffic): Pair[] {
  const model: Pair = ['model_name', traffic.engine.servedModel];
  switch (traffic.kind) {
    case 'vllm':
      return [model, ['engine', '0']];
    case 'sglang':
      return [model, ['engine_type', 'unified'], ['tp_rank', '0'], ['pp_rank', '0']];
    default: {
      const unreachable: never = traffic;
      throw new Error(`demo: unknown engine ${JSON.stringify(unreachable)}`);
    }
  }
}

/** vLLM's CacheConfig as `metrics_info()` writes it: every field through Python's str(). */
function cacheConfig(traffic: EngineTraffic): Pair[] {
  return [
    ['block_size', '16'],
    ['cache_dtype', 'auto'],
    ['calculate_kv_scales', 'False'],
    ['cpu_offload_gb', '0'],
    ['enable_prefix_caching', 'True'],
    ['gpu_memory_utilization', '0.9'],
    ['is_attention_free', 'False'],
    ['num_cpu_blocks', 'None'],
    ['num_gpu_blocks', String(traffic.cacheBlocks)],
    ['num_gpu_blocks_override', 'None'],
    ['prefix_caching_hash_algo', 'sha256'],
    ['sliding_window', 'None'],
    ['swap_space', '4'],
  ];
}

export function replicaEngineLabels(
  deploymentId: string,
  replicaId: string,
  traffic: EngineTraffic,
  relayOwnLabels: boolean,
): ReplicaEngineLabels {
  const relayed: Pair[] = [
    ['deployment_id', deploymentId],
    ['replica', replicaId],
  ];
  const own = relayOwnLabels ? ownLabels(traffic) : [];
  const series = new SortedLabels([...relayed, ...own]);
  if (traffic.kind !== 'vllm') return { series };
  const info = own.filter(([name]) => name !== 'model_name');
  return { series, cacheConfig: new SortedLabels([...relayed, ...info, ...cacheConfig(traffic)]).text };
}

/**
 * The bridge process's own health, as every Node.js exporter serves it: prom-client's default metrics under
 * prom-client's names (`process_resident_memory_bytes`, `process_cpu_seconds_total`, `process_open_fds`,
 * `nodejs_heap_size_used_bytes`, `nodejs_eventloop_lag_seconds`, `nodejs_gc_duration_seconds`, ...), which
 * Node dashboards already know, and `baseten_bridge_memory_limit_bytes` to compare resident memory with.
 *
 * `process_*` are the whole process (the snapshot builder's and the relabel debugger's worker threads
 * included); `nodejs_*` (heap, event loop, GC, handles) are the main thread's, the one that serves /metrics.
 * No relayed family can share these names: Baseten's are `baseten_*`, `vllm:*` and `sglang:*` (BASETEN.md).
 */
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { MemoryLimit } from './memory-limit.js';

/**
 * The resolution of the event-loop delay histogram (perf_hooks.monitorEventLoopDelay), prom-client's default:
 * a timer every 10 ms, about 0.4 % of a core when idle (20 ms: 0.2 %, 100 ms: 0.05 %), finer than the stalls worth
 * seeing (a cold cycle holds the loop 15-40 ms, bench/RESULTS.md), and the summaries include it (an idle loop
 * reads ~10 ms), so a coarser one would hide short stalls and raise the floor. What a scrape costs does not
 * depend on it: prom-client computes the histogram's mean and deviation at every collection (~0.25 ms of the
 * ~0.8 ms these metrics add to a scrape).
 */
export const EVENT_LOOP_MONITORING_PRECISION_MS = 10;

/**
 * Registers the default metrics and the memory limit on `registry`. Once per process and registry: prom-client
 * starts an event-loop monitor and a GC observer for each call and never stops them.
 */
export function collectProcessMetrics(registry: Registry, limit: MemoryLimit | undefined): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS });
  // No limit known, no series: the alert on resident memory against it then says nothing rather than guess.
  if (limit === undefined) return;
  new Gauge({
    name: 'baseten_bridge_memory_limit_bytes',
    help:
      'The memory limit the bridge runs under: --memory.limit, else its ' +
      "cgroup's (read at start); absent when none is known.",
    registers: [registry],
  }).set(limit.bytes);
}

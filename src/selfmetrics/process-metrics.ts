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
 * The resolution of the event-loop delay histogram (perf_hooks.monitorEventLoopDelay), prom-client's
 * default: one libuv timer wake-up per 10 ms, which costs well under 1 % of a core (bench/RESULTS.md, "Own
 * metrics"), and stays finer than the delays worth seeing (a cycle's cold build stalls the loop 15-40 ms).
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
    help: 'The memory limit the bridge runs under: --memory.limit, else its cgroup\'s (read at start); absent when none is known.',
    registers: [registry],
  }).set(limit.bytes);
}

/**
 * @module selfmetrics — the bridge's own metrics, on an injected prom-client Registry (never the global one):
 * `baseten_bridge_*` (bridge-metrics.ts) and the process's (process-metrics.ts: prom-client's defaults, and
 * the memory limit of memory-limit.ts). Names are part of the public contract: dashboards and alerts use them.
 */
export { BridgeMetrics, createBridgeMetrics, type TargetMetrics } from './bridge-metrics.js';
export { memoryLimit, readCgroupMemoryLimit, type CgroupPaths, type MemoryLimit } from './memory-limit.js';
export { collectProcessMetrics } from './process-metrics.js';

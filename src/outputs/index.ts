/**
 * @module outputs — where each good cycle goes: the `Output` interface every output implements, and the
 * bridge's own output, the merged /metrics exposition. remote_write (remotewrite/) is another.
 */
export type { Output, ReplicaConfig } from './output.js';
export { MetricsOutput, type MetricsOutputDeps } from './metrics-output.js';

/**
 * @module remotewrite — Prometheus remote-write 1.0 (protobuf + snappy) of the served series to any number
 * of receivers, each with write_relabel_configs, a bounded queue, batching, retries with backoff and
 * self-metrics `baseten_bridge_remote_write_*{remote}`.
 */
export { DEFAULT_CLOSE_TIMEOUT_MS, RemoteWriter, type RemoteWriterDeps } from './remote-writer.js';
export { RemoteWriteOutput } from './remote-write-output.js';
export { RW_DROP_REASONS, type RwDropReason } from './metrics.js';
export { USER_AGENT } from './http-send.js';

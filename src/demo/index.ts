/**
 * @module demo — a simulated Baseten organization `/metrics` endpoint (auth, 6-per-minute rate limit,
 * gzip, every documented metric family, and the vLLM and SGLang families its LLM replicas relay) for
 * `baseten-bridge demo` and for tests, with switchable fault modes (faults.ts) for testing how the bridge meets
 * a misbehaving upstream.
 */
export { generateApiKey } from './api-key.js';
export { BUCKETS, type BucketSet } from './buckets.js';
export { SGLANG, VLLM, VLLM_FINISHED_REASONS, type EngineFamily } from './engine-families.js';
export { FAMILIES, FAMILY_LIST, POD_HASH_LABEL, type FamilySpec, type FamilyType, type Presence } from './families.js';
export { FAULT_KINDS, FAULT_STATUSES, type Fault, type FaultKind, type FaultStatus } from './faults.js';
export { buildFleet, type Fleet, type FleetOptions, type SimulatedDeployment, type SimulatedReplica } from './fleet.js';
export { MODEL_CATALOG, type ModelProfile, type ServingEngine } from './model-catalog.js';
export { METRICS_CONTENT_TYPE, type SimulatorRequest } from './handler.js';
export { RATE_WINDOW_MS } from './rate-window.js';
export { replaceReplicas } from './replica-churn.js';
export { renderBasetenExposition, renderBasetenMetrics, type RenderedMetrics } from './render.js';
export { specDecodeVisible } from './render-llm-families.js';
export { REFRESH_MS } from './signals.js';
export {
  DEFAULT_DEPLOYMENTS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from './simulator.js';

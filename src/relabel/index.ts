/**
 * @module relabel — Prometheus 3.x `metric_relabel_configs`, to the byte: rules compiled once by
 * `compileRelabelConfigs`, applied to one series at a time by the pure `relabel` (or `relabelWithTrace`).
 */
export { RelabelConfigError, type RelabelConfig } from './config.js';
export { compileRelabelConfigs, type CompiledRule, type CompiledRules } from './compile.js';
export type { Labels } from './label-set.js';
export { relabel } from './process.js';
export { relabelWithTrace, type RelabelStep, type RelabelTrace } from './trace.js';
export {
  decideSeries,
  describeNotServed,
  seriesLabels,
  type InvalidName,
  type SeriesDecision,
} from './decide-series.js';
export { unservableRules } from './unservable-rules.js';
export { DEFAULTS } from './config.js';
export { hashmod, prepareModulus } from './hashmod.js';
export {
  attachIdentity,
  ENGINE_PREFIXES,
  engineDeployment,
  identitiesOf,
  IDENTITY_LABELS,
  isEngineSeries,
  platformIdentity,
  withIdentity,
  type Attached,
  type DeploymentIdentity,
} from './engine-identity.js';

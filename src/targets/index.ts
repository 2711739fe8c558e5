/**
 * @module target — the per-target core between cli/ and the pipeline: a Bridge runs one target's cycle (key →
 * budget → fetch → snapshot → swap, failures as data), its BridgeStatus is what the status page shows of it,
 * and the TargetSet runs this replica's targets together (budgets shared by key, each good cycle handed on).
 */
export {
  Bridge,
  HELP_SUFFIX,
  type BridgeDeps,
  type CycleOutcome,
  type FailureReason,
  type KeyEnvironment,
} from './bridge.js';
export { TargetSet, type TargetSetDeps } from './target-set.js';
export { compileTargetRules, unservableTargetRules } from './target-rules.js';

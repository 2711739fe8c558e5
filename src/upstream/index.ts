/** @module upstream — the schedule and the HTTP client that fetch Baseten's /metrics. */
export { UpstreamClient } from './client.js';
export type { ClientOptions } from './client.js';
export { FETCH_FAILURE_REASONS } from './fetch-result.js';
export type { FetchFailureReason, FetchFailure, FetchResult, FetchSuccess, ReceivedBody } from './fetch-result.js';
export { Scheduler } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
export {
  BACKOFF_CAP_MS,
  failureRun,
  NEXT_ATTEMPT_REASONS,
  nextAttempt,
  RETRY_AFTER_CAP_MS,
  type FailureRun,
  type NextAttempt,
  type NextAttemptReason,
} from './backoff.js';
export type { AttemptResult } from './backoff.js';
export { FileBudgetState, NO_BUDGET_STATE, STATE_FILE } from './budget-state.js';
export { DEFAULT_STORAGE_PATH, prepareStorage, StorageError } from './budget-storage.js';
export { BudgetPool, budgetPoolAt } from './budget-pool.js';
export type { BudgetState, SavedBudget } from './budget-state.js';
export { BUDGET_WINDOW_MS, RateBudget } from './rate-budget.js';
export { parseRetryAfter } from './retry-after.js';

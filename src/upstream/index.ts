/** @module upstream — the schedule and the HTTP client that fetch Baseten's /metrics. */
export { UpstreamClient } from './client.js';
export type { ClientOptions } from './client.js';
export { FAILURE_REASONS } from './fetch-result.js';
export type { FailureReason, FetchFailure, FetchResult, FetchSuccess } from './fetch-result.js';
export { Scheduler } from './scheduler.js';
export type { CycleReport, SchedulerOptions } from './scheduler.js';

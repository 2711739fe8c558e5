/** @module status — the status page, its relabel debugger, and what the targets tell it (StatusSource). */
export { statusRoutes } from './status-routes.js';
export type { CardinalityReport, CycleRecord, StatusSource, TargetStatus } from './status-source.js';

/**
 * One cycle of each of some targets, as `once`, `check-config --probe` and `rules --probe` run them: with the
 * running bridge's state file (a loop of them cannot exceed the rate budget either), every key read before
 * any request is sent, and each result in the words all three use.
 */
import type { TargetConfig } from '../config/index.js';
import { createBridgeMetrics } from '../selfmetrics/index.js';
import type { Snapshot } from '../snapshot/index.js';
import { Bridge, type CycleOutcome } from '../targets/index.js';
import { budgetPoolAt } from '../upstream/index.js';
import type { CommandIo } from './command-io.js';

export type OneShot =
  | { target: TargetConfig; ok: true; snapshot: Snapshot }
  /** `budget` (with reason `budget`): no request was sent; `problem` says why in words either way. */
  | {
      target: TargetConfig;
      ok: false;
      reason: CycleOutcome['reason'];
      budget?: { limit: number; nextDueMs: number };
      problem: string;
    };

/** How a one-shot command says the rate budget let no request go. */
export function budgetUsedUp(
  budget: { limit: number; nextDueMs: number },
  unit: 'per minute' | 'requests per minute' = 'per minute',
): string {
  return (
    `the rate budget (${budget.limit} ${unit}) is used up; try again in ` +
    `${Math.ceil((budget.nextDueMs - Date.now()) / 1000)}s`
  );
}

function result(target: TargetConfig, bridge: Bridge, outcome: CycleOutcome, io: CommandIo): OneShot {
  const snapshot = bridge.store.last();
  if (outcome.ok && snapshot) return { target, ok: true, snapshot };
  if (outcome.reason === 'budget') {
    const budget = { limit: bridge.budgetFacts().limit, nextDueMs: outcome.nextDueMs };
    return { target, ok: false, reason: outcome.reason, budget, problem: budgetUsedUp(budget) };
  }
  return {
    target,
    ok: false,
    reason: outcome.reason,
    problem: `${outcome.reason}: ${io.secrets.redact(outcome.message ?? 'failed')}`,
  };
}

export async function fetchOnce(
  targets: readonly TargetConfig[],
  storagePath: string,
  io: CommandIo,
): Promise<OneShot[]> {
  const { logger, secrets } = io;
  const budgets = budgetPoolAt(storagePath, (m) => logger.warn(m));
  const metrics = createBridgeMetrics();
  const bridges = targets.map(
    (target) => new Bridge({ config: target, logger, secrets, metrics, budgets, oneShot: true }),
  );
  try {
    for (const bridge of bridges) bridge.readKey();
    const results: OneShot[] = [];
    for (const [i, bridge] of bridges.entries()) results.push(result(targets[i]!, bridge, await bridge.runCycle(), io));
    return results;
  } finally {
    for (const bridge of bridges) await bridge.close();
  }
}

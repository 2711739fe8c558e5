/**
 * `rules --probe`: one fetch of a target (it counts against the rate budget, as `check-config --probe`), to
 * read the `le` boundaries Baseten's histograms really have, so an SLO threshold can be checked against them.
 */
import type { TargetConfig } from '../config/index.js';
import type { Logger, SecretRegistry } from '../log/index.js';
import { bucketsInExposition } from '../rules/index.js';
import { createBridgeMetrics } from '../selfmetrics/bridge-metrics.js';
import { budgetPoolAt } from '../upstream/index.js';
import { Bridge } from '../bridge.js';
import { ProblemsError } from '../problems-error.js';

export async function probeBuckets(target: TargetConfig, deps: { logger: Logger; secrets: SecretRegistry; storagePath: string }): Promise<Map<string, number[]>> {
  const budgets = budgetPoolAt(deps.storagePath, (m) => deps.logger.warn(m));
  const bridge = new Bridge({ config: target, logger: deps.logger, secrets: deps.secrets, metrics: createBridgeMetrics(), budgets });
  try {
    bridge.readKey();
    const outcome = await bridge.runCycle();
    const snapshot = bridge.store.last();
    if (outcome.reason === 'budget') throw new ProblemsError('rules --probe', [`the rate budget (${bridge.budgetFacts().limit} per minute) is used up; try again in ${Math.ceil((outcome.nextDueMs - Date.now()) / 1000)}s`]);
    if (!outcome.ok || !snapshot) throw new ProblemsError('rules --probe', [`${outcome.reason}: ${deps.secrets.redact(outcome.message ?? 'failed')}`]);
    return bucketsInExposition(snapshot.text.toString('utf8'));
  } finally {
    await bridge.close();
  }
}

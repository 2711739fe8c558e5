/**
 * `once`: one fetch of each target → relabel → the exposition (targets merged as /metrics serves them) on
 * stdout; non-zero exit when any target fails.
 */
import type { Config } from '../../config/index.js';
import type { Logger, SecretRegistry } from '../../log/index.js';
import { createBridgeMetrics } from '../../selfmetrics/bridge-metrics.js';
import { mergeSnapshots, type Snapshot } from '../../snapshot/index.js';
import { budgetPoolAt } from '../../upstream/index.js';
import { Bridge } from '../../target/index.js';

export interface OnceOptions {
  storagePath: string;
  out: (chunk: Buffer) => void;
  err: (line: string) => void;
}

export async function onceCommand(config: Config, logger: Logger, secrets: SecretRegistry, opts: OnceOptions): Promise<number> {
  // The same state files as the running bridge: a loop of `once` cannot exceed the rate budget either.
  const budgets = budgetPoolAt(opts.storagePath, (m) => logger.warn(m));
  const metrics = createBridgeMetrics();
  const bridges = config.targets.map((target) => new Bridge({ config: target, logger, secrets, metrics, budgets }));
  const snapshots: Snapshot[] = [];
  let failed = false;
  try {
    for (const bridge of bridges) bridge.readKey();
    for (const bridge of bridges) {
      const outcome = await bridge.runCycle();
      const snapshot = bridge.store.last();
      const name = bridges.length > 1 ? ` ${bridge.name}:` : '';
      if (outcome.reason === 'budget') {
        opts.err(`baseten-bridge: once:${name} the rate budget (${bridge.budgetFacts().limit} requests per minute) is used up; try again in ${Math.ceil((outcome.nextDueMs - Date.now()) / 1000)}s`);
        failed = true;
      } else if (!outcome.ok || !snapshot) {
        opts.err(`baseten-bridge: once:${name} ${outcome.reason}: ${secrets.redact(outcome.message ?? 'failed')}`);
        failed = true;
      } else {
        snapshots.push(snapshot);
      }
    }
  } finally {
    for (const bridge of bridges) await bridge.close();
  }
  if (failed) return 1;
  for (const part of mergeSnapshots(snapshots).text) opts.out(part);
  return 0;
}

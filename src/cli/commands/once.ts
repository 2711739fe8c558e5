/** `once`: one fetch → relabel → the exposition on stdout; non-zero exit on failure. */
import type { Config } from '../../config/index.js';
import type { Logger, SecretRegistry } from '../../log/index.js';
import { createBridgeMetrics } from '../../selfmetrics/bridge-metrics.js';
import { budgetStateAt } from '../../upstream/index.js';
import { Bridge } from '../../bridge.js';

export interface OnceOptions {
  storagePath: string;
  out: (chunk: Buffer) => void;
  err: (line: string) => void;
}

export async function onceCommand(config: Config, logger: Logger, secrets: SecretRegistry, opts: OnceOptions): Promise<number> {
  // The same state file as the running bridge: a loop of `once` cannot exceed the rate budget either.
  const budgetState = budgetStateAt(opts.storagePath, (m) => logger.warn(m));
  const bridge = new Bridge({ config, logger, secrets, metrics: createBridgeMetrics(), budgetState });
  bridge.readKey();
  const outcome = await bridge.runCycle();
  await bridge.close();
  const snapshot = bridge.store.last();
  if (outcome.reason === 'budget') {
    opts.err(`baseten-bridge: once: the rate budget (${config.upstream.maxRequestsPerMinute} requests per minute) is used up; try again in ${Math.ceil((outcome.nextDueMs - Date.now()) / 1000)}s`);
    return 1;
  }
  if (!outcome.ok || !snapshot) {
    opts.err(`baseten-bridge: once: ${outcome.reason}: ${secrets.redact(outcome.message ?? 'failed')}`);
    return 1;
  }
  opts.out(snapshot.text);
  return 0;
}

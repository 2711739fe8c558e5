/** `once`: one fetch → relabel → the exposition on stdout; non-zero exit on failure. */
import type { Config } from '../../config/index.js';
import type { Logger, SecretRegistry } from '../../log/index.js';
import { createBridgeMetrics } from '../../selfmetrics/bridge-metrics.js';
import { Bridge } from '../../bridge.js';

export async function onceCommand(config: Config, logger: Logger, secrets: SecretRegistry, out: (chunk: Buffer) => void): Promise<number> {
  const bridge = new Bridge({ config, logger, secrets, metrics: createBridgeMetrics() });
  bridge.readKey();
  const outcome = await bridge.runCycle();
  const snapshot = bridge.store.last();
  if (!outcome.ok || !snapshot) return 1;
  out(snapshot.text);
  return 0;
}

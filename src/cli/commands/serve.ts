/** The default command: fetch on a schedule and serve until SIGTERM/SIGINT. */
import type { Config } from '../../config/index.js';
import type { Logger, SecretRegistry } from '../../log/index.js';
import type { Flags } from '../flags.js';
import { runUntilSignal, startBridge } from '../run-server.js';

export async function serveCommand(flags: Flags, config: Config, logger: Logger, secrets: SecretRegistry): Promise<number> {
  const running = await startBridge({ flags, config, logger, secrets });
  return runUntilSignal(running, logger);
}

/** The default command: fetch on a schedule and serve until SIGTERM/SIGINT. */
import { loadConfig } from '../../config/index.js';
import type { CommandIo } from '../command-io.js';
import type { Flags } from '../flags.js';
import { runUntilSignal, startBridge } from '../run-server.js';

export async function serveCommand(flags: Flags, io: CommandIo): Promise<number> {
  const running = await startBridge({
    flags,
    config: loadConfig(flags.configFile),
    logger: io.logger,
    secrets: io.secrets,
  });
  return runUntilSignal(running, io.logger);
}

/**
 * `once`: one fetch of each target → relabel → the exposition (targets merged as /metrics serves them) on
 * stdout; non-zero exit when any target fails.
 */
import { loadConfig } from '../../config/index.js';
import { mergeSnapshots, type Snapshot } from '../../snapshot/index.js';
import type { CommandIo } from '../command-io.js';
import type { Flags } from '../flags.js';
import { budgetUsedUp, fetchOnce } from '../one-shot.js';

export async function onceCommand(flags: Flags, io: CommandIo): Promise<number> {
  const config = loadConfig(flags.configFile);
  const results = await fetchOnce(config.targets, flags.storagePath, io);
  const snapshots: Snapshot[] = [];
  for (const result of results) {
    const name = results.length > 1 ? ` ${result.target.name}:` : '';
    if (result.ok) snapshots.push(result.snapshot);
    else
      io.err(
        `baseten-bridge: once:${name} ` +
          `${result.budget ? budgetUsedUp(result.budget, 'requests per minute') : result.problem}\n`,
      );
  }
  if (snapshots.length < results.length) return 1;
  for (const part of mergeSnapshots(snapshots).text) io.out(part);
  return 0;
}

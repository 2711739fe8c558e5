/** Which shard this replica runs: the --shard flag wins over the file's `shard:` (serve and check-config alike). */
import type { Config, Shard } from '../config/index.js';
import type { Flags } from './flags.js';

export function chosenShard(flags: Pick<Flags, 'shard'>, config: Config): Shard | undefined {
  return flags.shard ?? config.shard;
}

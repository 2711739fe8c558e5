/** The target a single-target command (relabel-test, demo) works on: the one named by --target, or the only one. */
import type { Config, TargetConfig } from '../config/index.js';
import { UsageError } from './flags.js';

export function pickTarget(config: Config, name: string | undefined): TargetConfig {
  const names = config.targets.map((t) => t.name).join(', ');
  if (name !== undefined) {
    const found = config.targets.find((t) => t.name === name);
    if (!found) throw new UsageError(`--target: no target named "${name}" in ${config.origin} (targets: ${names})`);
    return found;
  }
  if (config.targets.length !== 1)
    throw new UsageError(
      `${config.origin} has ${config.targets.length} targets; choose one with --target=NAME (${names})`,
    );
  return config.targets[0]!;
}

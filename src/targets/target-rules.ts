/**
 * A target's relabel rules compiled where they are used: the config keeps them as written (checked when it
 * loaded, so compiling them again cannot fail), the builder thread compiles its own copy, and whoever else
 * runs or inspects them (relabel-test, the status page, the start-up warnings) compiles them here.
 */
import { rulesPath, type TargetConfig } from '../config/index.js';
import { compileRelabelConfigs, unservableRules, type CompiledRules } from '../relabel/index.js';

export function compileTargetRules(target: TargetConfig): CompiledRules {
  return compileRelabelConfigs(target.relabel);
}

/**
 * Valid rules that make every series they touch unservable, named by their place in the file: the running
 * bridge logs them at start and `check-config` prints them, in the same words.
 */
export function unservableTargetRules(config: { targets: readonly TargetConfig[] }, target: TargetConfig): string[] {
  return unservableRules(compileTargetRules(target), rulesPath(config, target));
}

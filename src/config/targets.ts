/**
 * What to fetch: one Baseten workspace per target. The single `upstream:` form is one target named `default`;
 * `targets:` lists several, each with its own key source, interval, rules and static labels. Static labels are
 * what keeps the series of two workspaces apart on one /metrics, so two targets that could serve the same series
 * are a config error.
 */
import { isValidLabelName } from '../exposition/index.js';
import { compileRelabelConfigs, RelabelConfigError } from '../relabel/index.js';
import type { Decoder } from '../decode/index.js';
import { decodeUpstream, type UpstreamConfig } from './upstream.js';

export const DEFAULT_TARGET_NAME = 'default';
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** A target's own keys, beside the upstream fields. */
export const TARGET_KEYS = ['name', 'labels', 'metric_relabel_configs'];

export interface TargetConfig {
  /** Unique; the `target` label of the bridge's own metrics and the key of sharding. */
  name: string;
  /** Static labels put on every series of this target, after its metric_relabel_configs. */
  labels: Readonly<Record<string, string>>;
  upstream: UpstreamConfig;
  /**
   * The target's metric_relabel_configs as written, then one `replace` rule per static label. Checked here, at
   * load time; compiled where they run (the builder thread, relabel-test, the status page).
   */
  relabel: readonly unknown[];
  /** The config file it came from. */
  origin: string;
}

/** Where a target's rules sit in its file, for messages: `metric_relabel_configs`, or `targets[N].metric_relabel_configs`. */
export function rulesPath(config: { targets: readonly TargetConfig[] }, target: TargetConfig): string {
  const i = config.targets.indexOf(target);
  return config.targets.length === 1 && target.name === DEFAULT_TARGET_NAME
    ? 'metric_relabel_configs'
    : `targets[${i}].metric_relabel_configs`;
}

/** `$` starts a reference in a replacement; a literal one is written `$$`. */
function labelRule(name: string, value: string): Record<string, string> {
  return { action: 'replace', target_label: name, replacement: value.replaceAll('$', '$$$$') };
}

function decodeLabels(d: Decoder): Record<string, string> {
  return d.textMap('a map of label names to values (e.g. workspace: prod)', (name, value) => {
    if (!isValidLabelName(name) || name.startsWith('__')) {
      value.problem('not a usable label name (letters, digits and _, not starting with a digit or __)');
    } else if (typeof value.value !== 'string' || value.value === '') {
      value.problem(`the value must be a non-empty string (quote it: ${name}: "${String(value.value)}")`);
    } else return value.value;
    return undefined;
  });
}

/** The rules as written plus the static labels' rules, when they compile; their problems otherwise. */
function checkRules(d: Decoder, labels: Record<string, string>): unknown[] | undefined {
  const own = d.isSet ? d.value : [];
  const relabel = Array.isArray(own)
    ? [...(own as unknown[]), ...Object.entries(labels).map(([n, v]) => labelRule(n, v))]
    : own;
  try {
    compileRelabelConfigs(relabel, d.path);
    return relabel as unknown[];
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    d.problems.push(...err.problems);
    return undefined;
  }
}

/** The single `upstream:` form (`root` is the whole file): one target named `default`. */
export function decodeSingleTarget(root: Decoder, baseDir: string, origin: string): TargetConfig[] {
  const upstream = decodeUpstream(root.at('upstream'), baseDir);
  const relabel = checkRules(root.at('metric_relabel_configs'), {});
  return relabel ? [{ name: DEFAULT_TARGET_NAME, labels: {}, upstream, relabel, origin }] : [];
}

/** The `targets:` list. */
export function decodeTargets(d: Decoder, baseDir: string, origin: string): TargetConfig[] {
  const targets: TargetConfig[] = [];
  if (!Array.isArray(d.value)) {
    d.problem('must be a list of targets (e.g. "- name: prod" with its url and api_key_file)');
    return [];
  }
  const entries = d.items();
  if (entries.length === 0) d.problem('the list is empty (list at least one, or use upstream: for a single workspace)');
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!entry.isMapping()) {
      entry.problem('must be a mapping of target fields (e.g. name: prod, with its url and api_key_file)');
      return;
    }
    const rawName = entry.at('name').value;
    let name = `target-${i}`;
    if (typeof rawName !== 'string' || !TARGET_NAME.test(rawName)) {
      entry
        .at('name')
        .problem(
          `${rawName === undefined ? 'missing' : `${JSON.stringify(rawName)} is not usable`}; give each target a short name of letters, digits, _ . - (e.g. prod)`,
        );
    } else if (seen.has(rawName)) {
      entry
        .at('name')
        .problem(`"${rawName}" is already the name of targets[${seen.get(rawName)}]; names must be unique`);
    } else {
      name = rawName;
      seen.set(rawName, i);
    }
    const labels = decodeLabels(entry.at('labels'));
    const upstream = decodeUpstream(entry, baseDir, 'targets[]', TARGET_KEYS);
    const relabel = checkRules(entry.at('metric_relabel_configs'), labels);
    if (relabel) targets.push({ name, labels, upstream, relabel, origin });
  });
  validateTargets(d, entries.length === targets.length ? targets : []);
  return targets;
}

/** Two targets are kept apart when some static label both carry has different values. */
function validateTargets(d: Decoder, targets: readonly TargetConfig[]): void {
  for (let j = 1; j < targets.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = targets[i]!;
      const b = targets[j]!;
      const apart = Object.entries(a.labels).some(
        ([name, value]) => b.labels[name] !== undefined && b.labels[name] !== value,
      );
      if (!apart) {
        d.problems.push(
          `targets[${j}] ("${b.name}") could serve the same series as targets[${i}] ("${a.name}"): give both a label under labels: with different values (e.g. workspace: ${a.name} and workspace: ${b.name})`,
        );
      }
    }
  }
}

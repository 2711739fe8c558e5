/**
 * What to fetch: one Baseten workspace per target. The single `upstream:` form is one target named `default`;
 * `targets:` lists several, each with its own key source, interval, rules and static labels. Static labels are
 * what keeps the series of two workspaces apart on one /metrics, so two targets that could serve the same series
 * are a config error.
 */
import { isValidLabelName } from '../exposition/index.js';
import { compileRelabelConfigs, RelabelConfigError } from '../relabel/index.js';
import type { Decoder } from '../decode/index.js';
import { decodeKey, defaultsOf, viewOf, yamlKeys, type ConfigKey, type ConfigOf } from './config-key.js';
import { decodeUpstream, upstreamView, type UpstreamConfig } from './upstream.js';

export const DEFAULT_TARGET_NAME = 'default';
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** What a target key's decoder may need besides its value: where its entry is in the list, and what it has read. */
interface EntryContext {
  index: number;
  /** The names of the entries before it, and their index. */
  seen: Map<string, number>;
  /** The entry's static labels, read before its rules. */
  labels: Readonly<Record<string, string>>;
}

const key = <T>(spec: ConfigKey<T, EntryContext>) => spec;

/**
 * A target's own keys, beside the upstream keys a `targets:` entry takes directly (config-key.ts). The `upstream:`
 * form is one target at these defaults, its rules at the top level beside `upstream:`.
 */
export const TARGET = {
  /** Unique; the `target` label of the bridge's own metrics and the key of sharding. */
  name: key<string>({
    yaml: 'name',
    default: DEFAULT_TARGET_NAME,
    required: true,
    decode: (d, _def, { index, seen }) => decodeName(d, index, seen),
    show: (name) => name,
    view: 'target',
  }),
  /** Static labels put on every series of this target, after its metric_relabel_configs. */
  labels: key<Readonly<Record<string, string>>>({
    yaml: 'labels',
    default: {},
    decode: (d) => decodeLabels(d),
    show: (labels) => labels,
  }),
  /**
   * The target's metric_relabel_configs as written, then one `replace` rule per static label. Checked here, at
   * load time; compiled where they run (the builder thread, relabel-test, the status page). The view shows them
   * as they take effect (defaults filled in).
   */
  relabel: key<readonly unknown[]>({
    yaml: 'metric_relabel_configs',
    default: [],
    decode: (d, def, { labels }) => checkRules(d, labels) ?? def,
    show: (rules) => EFFECTIVE_RULES.get(rules) ?? compileRelabelConfigs(rules).source,
  }),
};

/** A target's own keys, as the known keys of a `targets:` entry beside the upstream keys. */
const TARGET_KEYS = yamlKeys(TARGET);

export type TargetConfig = ConfigOf<typeof TARGET> & {
  upstream: UpstreamConfig;
  /** The config file it came from. */
  origin: string;
};

/**
 * Where a target's rules sit in its file, for messages: `metric_relabel_configs`, or
 * `targets[N].metric_relabel_configs`.
 */
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

/** Loaded rules as they take effect (defaults filled in), compiled once at load for the view (status page). */
const EFFECTIVE_RULES = new WeakMap<readonly unknown[], readonly unknown[]>();

/** The rules as written plus the static labels' rules, when they compile; their problems otherwise. */
function checkRules(d: Decoder, labels: Record<string, string>): unknown[] | undefined {
  const own = d.isSet ? d.value : [];
  const relabel = Array.isArray(own)
    ? [...(own as unknown[]), ...Object.entries(labels).map(([n, v]) => labelRule(n, v))]
    : own;
  try {
    const { source } = compileRelabelConfigs(relabel, d.path);
    EFFECTIVE_RULES.set(relabel as unknown[], source);
    return relabel as unknown[];
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    d.problems.push(...err.problems);
    return undefined;
  }
}

/** A `targets:` entry's name; a stand-in (`target-N`) when it is missing, unusable or taken. */
function decodeName(d: Decoder, index: number, seen: Map<string, number>): string {
  const raw = d.value;
  if (typeof raw !== 'string' || !TARGET_NAME.test(raw)) {
    const what = raw === undefined ? 'missing' : `${JSON.stringify(raw)} is not usable`;
    d.problem(`${what}; give each target a short name of letters, digits, _ . - (e.g. prod)`);
  } else if (seen.has(raw)) {
    d.problem(`"${raw}" is already the name of targets[${seen.get(raw)}]; names must be unique`);
  } else {
    seen.set(raw, index);
    return raw;
  }
  return `target-${index}`;
}

/** The single `upstream:` form (`root` is the whole file): one target named `default`. */
export function decodeSingleTarget(root: Decoder, baseDir: string, origin: string): TargetConfig[] {
  const upstream = decodeUpstream(root.at('upstream'), baseDir);
  const before = root.count;
  // Its rules sit at the top level, beside upstream:.
  const relabel = decodeKey(TARGET.relabel, root, { index: 0, seen: new Map(), labels: {} });
  return root.count > before ? [] : [{ ...defaultsOf(TARGET), relabel, upstream, origin }];
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
  entries.forEach((entry, index) => {
    if (!entry.isMapping()) {
      entry.problem('must be a mapping of target fields (e.g. name: prod, with its url and api_key_file)');
      return;
    }
    // Key by key rather than with decodeKeys: the rules take the labels, and a target whose rules fail is left
    // out (and then so is validateTargets, which names targets by their index).
    const ctx: EntryContext = { index, seen, labels: {} };
    const name = decodeKey(TARGET.name, entry, ctx);
    const labels = decodeKey(TARGET.labels, entry, ctx);
    const upstream = decodeUpstream(entry, baseDir, 'targets[]', TARGET_KEYS);
    const before = entry.count;
    const relabel = decodeKey(TARGET.relabel, entry, { ...ctx, labels });
    if (entry.count === before) targets.push({ name, labels, upstream, relabel, origin });
  });
  validateTargets(d, entries.length === targets.length ? targets : []);
  return targets;
}

/** A target's keys and its upstream keys as people wrote them (config-key.ts viewOf); never the key itself. */
export function targetView(target: TargetConfig): Record<string, unknown> {
  return { ...viewOf(TARGET, target), upstream: upstreamView(target.upstream) };
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
          `targets[${j}] ("${b.name}") could serve the same series as targets[${i}] ` +
            `("${a.name}"): give both a label under labels: with different values ` +
            `(e.g. workspace: ${a.name} and workspace: ${b.name})`,
        );
      }
    }
  }
}

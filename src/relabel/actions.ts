/**
 * Every `metric_relabel_configs` action, declared once, as Prometheus keeps an action in one switch of
 * model/relabel/relabel.go (`Config.Validate`, `relabel`). An entry says which fields the action needs and
 * forbids (validate.ts words the problems), how a rule compiles and applies (compile.ts, process.ts), what it
 * writes that text 0.0.4 may not carry (unservable-rules.ts) and whether it observes label order. decode.ts
 * accepts exactly these names, listed in this order. test/relabel/actions.test.ts walks the table.
 */
import { goToLower, goToUpper } from './case-map.js';
import type { Field, RuleValues } from './config.js';
import { compileTemplate, expand, replaceAll, type Template } from './expand.js';
import { hashmod, prepareModulus } from './hashmod.js';
import { isValidLabelName, type LabelState } from './label-set.js';
import { BoundedMemo } from './memo.js';
import type { AnchoredRegex } from './regex.js';

/** Runs a compiled rule on one series; returns false when the rule drops it. */
export type Apply = (labels: LabelState) => boolean;

/** Fields that must keep their default, reported with Prometheus's sentence for them. */
export interface Forbidden {
  /** In the order they are reported. */
  readonly fields: readonly Exclude<Field, 'action'>[];
  readonly problem: (action: string) => string;
  /** Why, added to each "remove <field>" fix. */
  readonly reason?: string;
}

/**
 * What a rule writes into the series, judged without data when the names are literal (unservable-rules.ts):
 * - `nothing`: it only keeps, drops or deletes;
 * - `target`: a computed value into the label named by `target_label`;
 * - `target from replacement`: `replacement` into `target_label` (as the metric name when that is `__name__`);
 * - `names from replacement`: labels whose names `replacement` makes.
 */
export type Writes = 'nothing' | 'target' | 'target from replacement' | 'names from replacement';

export interface ActionSpec {
  /** Fields that must hold a valid value, each with what to set it to (the fix); validate.ts words each. */
  readonly needs: { readonly modulus?: string; readonly target_label?: string; readonly replacement?: string };
  /** Checked after `needs`, in this order. */
  readonly forbids: readonly Forbidden[];
  /** Prepares what a series needs once (templates, memos, the modulus) and returns how the rule applies. */
  readonly compile: (rule: RuleValues, regex: AnchoredRegex) => Apply;
  readonly writes: Writes;
  /** The result depends on the Builder's `Range` order (label-set.ts), which is then tracked. */
  readonly observesOrder: boolean;
}

const NO_REPLACEMENT: Forbidden = {
  fields: ['replacement'],
  problem: (action) => `'replacement' can not be set for ${action} action`,
};

// Prometheus's sentence, mixed quotes included. Its check also covers replacement, which NO_REPLACEMENT reports.
const ONLY_SOURCE_AND_TARGET: Forbidden = {
  fields: ['regex', 'modulus', 'separator'],
  problem: (action) => `${action} action requires only 'source_labels' and \`target_label\`, and no other fields`,
};

const ONLY_REGEX: Forbidden = {
  fields: ['source_labels', 'target_label', 'modulus', 'separator', 'replacement'],
  problem: (action) => `${action} action requires only 'regex', and no other fields`,
  reason: 'it matches regex against label names',
};

/** The source labels' values joined by the separator; a missing label counts as "" (two missing: ";"). */
function sourceValue(rule: RuleValues, labels: LabelState): string {
  const names = rule.sourceLabels;
  if (names.length === 1) return labels.get(names[0] as string);
  let value = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) value += rule.separator;
    value += labels.get(names[i] as string);
  }
  return value;
}

/** On a match, the label target_label names (expanded) gets the replacement (expanded). */
function compileReplace(rule: RuleValues, regex: AnchoredRegex): Apply {
  const target = compileTemplate(rule.targetLabel, regex);
  const replacement = compileTemplate(rule.replacement, regex);
  const literalTarget = target.literal;
  const literalValue = replacement.literal;
  if (literalTarget !== null && literalValue !== null) {
    // No `$` anywhere: only whether the regex matches matters, which needs no submatch positions.
    return (labels) => {
      if (regex.test(sourceValue(rule, labels))) labels.set(literalTarget, literalValue);
      return true;
    };
  }
  return (labels) => {
    const value = sourceValue(rule, labels);
    const match = regex.firstMatch(value);
    if (match === null) return true; // no match, no replacement
    const name = expand(target, value, match);
    // A target that expands to an invalid name (under UTF-8 validation: empty) is skipped silently.
    if (isValidLabelName(name)) labels.set(name, expand(replacement, value, match)); // an empty value deletes it
    return true;
  };
}

/** labelmap for one name, as model/relabel/relabel.go: `ReplaceAllString` of each name the regex matches. */
function mapLabelName(regex: AnchoredRegex, replacement: Template, name: string): string | null {
  if (!regex.test(name)) return null;
  const mapped = replaceAll(regex, name, replacement);
  // Prometheus would set even an empty name and then reject the whole scrape; we skip the label instead.
  return isValidLabelName(mapped) ? mapped : null;
}

/**
 * Go iterates a snapshot of the labels (`Builder.Range`) and sets each mapped name as it goes; the source
 * labels stay. Reads come from the snapshot only, so collecting the matches first and setting them afterwards,
 * in the same order, makes exactly the same Set calls, without copying every label.
 */
function compileLabelmap(rule: RuleValues, regex: AnchoredRegex): Apply {
  const replacement = compileTemplate(rule.replacement, regex);
  /** Label name → the name it maps to, or null when the regex does not match it. */
  const mapName = new BoundedMemo((name) => mapLabelName(regex, replacement, name));
  return (labels) => {
    let pending: string[] | undefined;
    for (const [name, value] of labels.map) {
      const mapped = mapName.get(name);
      if (mapped !== null) (pending ??= []).push(mapped, value);
    }
    if (pending === undefined) return true;
    for (let i = 0; i < pending.length; i += 2) labels.set(pending[i] as string, pending[i + 1] as string);
    return true;
  };
}

/** lowercase, uppercase: the source value mapped as Go's strings.ToLower or ToUpper, into target_label. */
function compileCaseMapping(rule: RuleValues, map: (value: string) => string): Apply {
  const target = rule.targetLabel;
  return (labels) => {
    labels.set(target, map(sourceValue(rule, labels)));
    return true;
  };
}

const TABLE = {
  replace: {
    needs: { target_label: 'the label to write' },
    forbids: [],
    compile: compileReplace,
    writes: 'target from replacement',
    observesOrder: false,
  },
  keep: {
    needs: {},
    forbids: [],
    compile: (rule, regex) => (labels) => regex.test(sourceValue(rule, labels)),
    writes: 'nothing',
    observesOrder: false,
  },
  drop: {
    needs: {},
    forbids: [],
    compile: (rule, regex) => (labels) => !regex.test(sourceValue(rule, labels)),
    writes: 'nothing',
    observesOrder: false,
  },
  keepequal: {
    needs: { target_label: 'the label whose value must equal the source value' },
    forbids: [NO_REPLACEMENT, ONLY_SOURCE_AND_TARGET],
    compile: (rule) => {
      const target = rule.targetLabel;
      return (labels) => labels.get(target) === sourceValue(rule, labels);
    },
    writes: 'nothing',
    observesOrder: false,
  },
  dropequal: {
    needs: { target_label: 'the label whose value must differ from the source value' },
    forbids: [NO_REPLACEMENT, ONLY_SOURCE_AND_TARGET],
    compile: (rule) => {
      const target = rule.targetLabel;
      return (labels) => labels.get(target) !== sourceValue(rule, labels);
    },
    writes: 'nothing',
    observesOrder: false,
  },
  hashmod: {
    needs: {
      modulus: 'the number of shards, e.g. modulus: 8',
      target_label: 'the label that receives the shard number',
    },
    forbids: [],
    compile: (rule) => {
      const target = rule.targetLabel;
      const modulus = prepareModulus(rule.modulus);
      return (labels) => {
        labels.set(target, hashmod(sourceValue(rule, labels), modulus));
        return true;
      };
    },
    writes: 'target',
    observesOrder: false,
  },
  labelmap: {
    needs: { replacement: 'a label name template such as $1' },
    forbids: [],
    compile: compileLabelmap,
    writes: 'names from replacement',
    // Two names mapped to one: the last one Range visits wins.
    observesOrder: true,
  },
  labeldrop: {
    needs: {},
    forbids: [ONLY_REGEX],
    compile: (_rule, regex) => (labels) => {
      for (const name of labels.map.keys()) if (regex.test(name)) labels.delete(name);
      return true;
    },
    writes: 'nothing',
    observesOrder: false,
  },
  labelkeep: {
    needs: {},
    forbids: [ONLY_REGEX],
    compile: (_rule, regex) => (labels) => {
      for (const name of labels.map.keys()) if (!regex.test(name)) labels.delete(name);
      return true;
    },
    writes: 'nothing',
    observesOrder: false,
  },
  lowercase: {
    needs: { target_label: 'the label that receives the lowercased value' },
    forbids: [NO_REPLACEMENT],
    compile: (rule) => compileCaseMapping(rule, goToLower),
    writes: 'target',
    observesOrder: false,
  },
  uppercase: {
    needs: { target_label: 'the label that receives the uppercased value' },
    forbids: [NO_REPLACEMENT],
    compile: (rule) => compileCaseMapping(rule, goToUpper),
    writes: 'target',
    observesOrder: false,
  },
} satisfies Record<string, ActionSpec>;

export type Action = keyof typeof TABLE;

export const ACTIONS: Readonly<Record<Action, ActionSpec>> = TABLE;

/** In declaration order, which is the order problems list them in. */
export const ACTION_NAMES = Object.keys(ACTIONS) as readonly Action[];

const NAME_SET: ReadonlySet<string> = new Set(ACTION_NAMES);

/** As model/relabel/relabel.go `Action.UnmarshalYAML`: names are matched after Go's `strings.ToLower`. */
export function parseAction(raw: string): Action | undefined {
  const lowered = goToLower(raw);
  return NAME_SET.has(lowered) ? (lowered as Action) : undefined;
}

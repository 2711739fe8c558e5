/**
 * Rule groups → a Prometheus rule file (YAML), with a header that says where it came from. The rule types live
 * with the file they describe (as Prometheus's model/rulefmt), so every module that makes rules imports them here.
 */
import { Document, type YAMLMap } from 'yaml';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
  /** Why the rule looks the way it does: a comment above it in the file, not part of the rule. */
  comment?: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Why the rule looks the way it does: a comment above it in the file, not part of the rule. */
  comment?: string;
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertingRule>;
}

/** `# line` for each line; an empty line stays a bare `#`. */
function commentLines(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? ` ${line}` : ''))
    .join('\n');
}

/**
 * `header`: the file's opening comment, one entry a line. A rule's `comment` (why it looks the way it does)
 * goes above it, and alerts are set apart by a blank line; neither is part of the rule Prometheus reads.
 */
export function renderRuleFile(groups: readonly RuleGroup[], header: readonly string[]): string {
  const plain = groups.map((group) => ({
    name: group.name,
    rules: group.rules.map(({ comment: _comment, ...rule }) => rule),
  }));
  const doc = new Document({ groups: plain });
  groups.forEach((group, g) =>
    group.rules.forEach((rule, r) => {
      const node = doc.getIn(['groups', g, 'rules', r], true) as YAMLMap;
      if (rule.comment) node.commentBefore = commentLines(rule.comment);
      if (r > 0 && 'alert' in rule) node.spaceBefore = true;
    }),
  );
  // lineWidth 0: never fold PromQL; block literals keep multi-line expressions readable.
  const comments = header.map((line) => `#${commentLines(line)}`).join('\n');
  return `${comments}\n${doc.toString({ lineWidth: 0, blockQuote: 'literal' })}`;
}

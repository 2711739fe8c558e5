/**
 * Rules that can never produce a servable series, found without any data: a literal `target_label` (or
 * labelmap `replacement`) that is not a classic label name, or a literal rename of `__name__` to an invalid
 * metric name. Prometheus 3 accepts such names (UTF-8), so the rules are valid; but text format 0.0.4 cannot
 * carry them and decideSeries drops every series they touch (`invalid_name`). `check-config` and the server's
 * start say so, rather than a bridge that silently serves nothing. Names with `$` depend on the data: not judged.
 * What each action writes is its `writes` in actions.ts.
 */
import { isValidLabelName, isValidMetricName } from '../exposition/index.js';
import { ACTIONS } from './actions.js';
import type { CompiledRules } from './compile.js';

/** A name known without data: set, and no `$` template. */
function isLiteral(name: string): boolean {
  return name !== '' && !name.includes('$');
}

function suggestion(name: string): string {
  const fixed = name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return fixed === '' ? '' : ` (e.g. "${fixed}")`;
}

/** One line per such rule; `path` is where the rules sit in the file (e.g. `metric_relabel_configs`). */
export function unservableRules(rules: CompiledRules, path: string): string[] {
  const problems: string[] = [];
  // compile.ts pushes each compiled rule and its source together.
  rules.rules.forEach(({ action }, i) => {
    const rule = rules.source[i] ?? {};
    const writes = ACTIONS[action].writes;
    const target = rule.target_label ?? '';
    const replacement = rule.replacement ?? '';
    const where = `${path}[${i}]`;
    const dropped = 'so every series it applies to is dropped (reason="invalid_name")';
    const badLabelName = (field: string, name: string): string =>
      `${where}.${field}: label name ${JSON.stringify(name)} cannot be served in text format 0.0.4, ${dropped}; ` +
      `use letters, digits and _${suggestion(name)}`;
    if (writes === 'names from replacement') {
      if (isLiteral(replacement) && !isValidLabelName(replacement))
        problems.push(badLabelName('replacement', replacement));
      return;
    }
    if (writes === 'nothing' || !isLiteral(target)) return;
    if (target === '__name__') {
      if (writes === 'target from replacement' && isLiteral(replacement) && !isValidMetricName(replacement)) {
        problems.push(
          `${where}.replacement: ${JSON.stringify(replacement)} is not a metric name text format 0.0.4 can serve, ` +
            `${dropped}; use letters, digits, _ and :${suggestion(replacement)}`,
        );
      }
      return;
    }
    if (!isValidLabelName(target)) problems.push(badLabelName('target_label', target));
  });
  return problems;
}

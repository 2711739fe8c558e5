/**
 * Rules that can never produce a servable series, found without any data: a literal `target_label` (or
 * labelmap `replacement`) that is not a classic label name, or a literal rename of `__name__` to an invalid
 * metric name. Prometheus 3 accepts such names (UTF-8), so the rules are valid; but text format 0.0.4 cannot
 * carry them and decideSeries drops every series they touch (`invalid_name`). `check-config` and the server's
 * start say so, rather than a bridge that silently serves nothing. Names with `$` depend on the data: not judged.
 */
import { isValidLabelName, isValidMetricName } from '../exposition/index.js';
import type { CompiledRules } from './compile.js';

function suggestion(name: string): string {
  const fixed = name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return fixed === '' ? '' : ` (e.g. "${fixed}")`;
}

/** One line per such rule; `path` is where the rules sit in the file (e.g. `metric_relabel_configs`). */
export function unservableRules(rules: CompiledRules, path: string): string[] {
  const problems: string[] = [];
  rules.source.forEach((rule, i) => {
    const action = rule.action ?? 'replace';
    const target = rule.target_label ?? '';
    const where = `${path}[${i}]`;
    const dropped = 'so every series it applies to is dropped (reason="invalid_name")';
    if (action === 'labelmap') {
      const name = rule.replacement ?? '';
      if (!name.includes('$') && name !== '' && !isValidLabelName(name)) {
        problems.push(
          `${where}.replacement: label name ${JSON.stringify(name)} cannot be served in text format 0.0.4, ${dropped}; use letters, digits and _${suggestion(name)}`,
        );
      }
      return;
    }
    if (!['replace', 'hashmod', 'lowercase', 'uppercase'].includes(action) || target === '' || target.includes('$'))
      return;
    if (target === '__name__') {
      const name = rule.replacement ?? '';
      if (action === 'replace' && !name.includes('$') && name !== '' && !isValidMetricName(name)) {
        problems.push(
          `${where}.replacement: ${JSON.stringify(name)} is not a metric name text format 0.0.4 can serve, ${dropped}; use letters, digits, _ and :${suggestion(name)}`,
        );
      }
      return;
    }
    if (!isValidLabelName(target)) {
      problems.push(
        `${where}.target_label: label name ${JSON.stringify(target)} cannot be served in text format 0.0.4, ${dropped}; use letters, digits and _${suggestion(target)}`,
      );
    }
  });
  return problems;
}

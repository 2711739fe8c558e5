/**
 * The tables of docs/DASHBOARDS.md: every panel with its queries and every alert with its expression,
 * generated between marker comments so that the document cannot drift from the dashboards and rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DASHBOARDS } from './index.js';

export const DOCS_FILE = 'docs/DASHBOARDS.md';
/** The documents with generated tables, and which tables each carries. */
export const DOC_TABLES: ReadonlyArray<{ file: string; tables: readonly TableName[] }> = [
  { file: DOCS_FILE, tables: ['PANELS', 'ALERTS', 'RECORDING RULES'] },
  { file: 'README.md', tables: ['PANELS', 'ALERTS'] },
];
type TableName = 'PANELS' | 'ALERTS' | 'RECORDING RULES';
export const RULES_DIR = 'deploy/prometheus/rules';

interface GrafanaPanel {
  type: string;
  title?: string;
  unit?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Array<{ expr?: string }>;
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A table cell: pipes escaped, newlines folded, code in backticks (with doubled ones when it has some). */
function code(text: string): string {
  const flat = text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\|/g, '\\|');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function panelTable(): string {
  const lines = ['| dashboard | panel | unit | queries |', '|---|---|---|---|'];
  for (const { build } of DASHBOARDS) {
    const dashboard = build();
    for (const panel of (dashboard.panels ?? []) as GrafanaPanel[]) {
      if (panel.type === 'row') continue;
      const queries = (panel.targets ?? []).map((t) => code(t.expr ?? '')).join('<br>');
      lines.push(
        `| ${cell(dashboard.title ?? '')} | ` +
          `${cell(panel.title ?? '')} | \`${panel.fieldConfig?.defaults?.unit ?? ''}\` | ${queries} |`,
      );
    }
  }
  return lines.join('\n');
}

function ruleFiles(root: string): Array<{ file: string; rules: Rule[] }> {
  return readdirSync(join(root, RULES_DIR))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((file) => {
      const doc = parse(readFileSync(join(root, RULES_DIR, file), 'utf8')) as { groups: Array<{ rules: Rule[] }> };
      return { file, rules: doc.groups.flatMap((g) => g.rules) };
    });
}

export function alertTable(root: string): string {
  const lines = ['| alert | severity | for | threshold | file | expression |', '|---|---|---|---|---|---|'];
  for (const { file, rules } of ruleFiles(root)) {
    for (const rule of rules) {
      if (!rule.alert) continue;
      const threshold = rule.annotations?.threshold ?? (rule.labels?.slo ? `SLO ${rule.labels.slo}` : '');
      lines.push(
        `| ${rule.alert} | ${rule.labels?.severity ?? ''} | ${rule.for ?? '0s'} ` +
          `| ${cell(threshold)} | ${file} | ${code(rule.expr)} |`,
      );
    }
  }
  return lines.join('\n');
}

export function recordingTable(root: string): string {
  const lines = ['| recorded series | labels | file | expression |', '|---|---|---|---|'];
  for (const { file, rules } of ruleFiles(root)) {
    for (const rule of rules) {
      if (!rule.record) continue;
      const labels = Object.entries(rule.labels ?? {})
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ');
      lines.push(`| \`${rule.record}\` | ${cell(labels)} | ${file} | ${code(rule.expr)} |`);
    }
  }
  return lines.join('\n');
}

function replaceBetween(text: string, name: string, body: string, file: string): string {
  const begin = `<!-- BEGIN GENERATED ${name} (npm run dashboards:generate) -->`;
  const end = `<!-- END GENERATED ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers for ${name} are missing`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}

const TABLES: Record<TableName, (root: string) => string> = {
  PANELS: () => panelTable(),
  ALERTS: alertTable,
  'RECORDING RULES': recordingTable,
};

/** Rewrites the generated tables of one document (`file` as in DOC_TABLES). */
export function updateDocs(text: string, root: string, file: string = DOCS_FILE): string {
  const tables = DOC_TABLES.find((d) => d.file === file)?.tables ?? [];
  return tables.reduce((out, name) => replaceBetween(out, name, TABLES[name](root), file), text);
}

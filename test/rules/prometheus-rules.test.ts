/**
 * The shipped Prometheus rules with the real promtool: `check rules` on every file (and on the Kubernetes
 * PrometheusRule's groups and on freshly generated SLO rules), `test rules` on deploy/prometheus/tests, and
 * house rules every alert follows (severity, runbook, a unit test that makes it fire).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { rulesCommand } from '../../src/cli/commands/rules.js';
import { generateSloRules } from '../../src/rules/index.js';
import { requireBinary } from '../helpers/require-binary.js';

const ROOT = resolve(__dirname, '../..');
const RULES_DIR = join(ROOT, 'deploy/prometheus/rules');
const TESTS_DIR = join(ROOT, 'deploy/prometheus/tests');
const promtool = requireBinary('promtool', 'prometheus');
const DOCS = readFileSync(join(ROOT, 'docs/DASHBOARDS.md'), 'utf8');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yml')).sort();
const alerts: Array<[string, Rule]> = ruleFiles.flatMap((file) =>
  (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups
    .flatMap((g) => g.rules)
    .filter((r) => r.alert)
    .map((r) => [`${file}: ${r.alert} ${r.labels?.slo ?? ''}`.trim(), r] as [string, Rule]),
);

function run(args: string[], cwd = ROOT): { code: number | null; output: string } {
  const result = spawnSync(promtool!, args, { cwd, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus/rules/baseten-slo.yml', () => {
  it('is what `baseten-bridge rules --slo=deploy/slo/slos.yml` generates', () => {
    const generated = generateSloRules(readFileSync(join(ROOT, 'deploy/slo/slos.yml'), 'utf8'), 'deploy/slo/slos.yml');
    expect(readFileSync(join(RULES_DIR, 'baseten-slo.yml'), 'utf8')).toBe(generated);
  });
});

describe.skipIf(!promtool)('promtool', () => {
  it.each(ruleFiles)('check rules %s', (file) => {
    const { code, output } = run(['check', 'rules', join(RULES_DIR, file)]);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(code).toBe(0);
  });

  it('check rules: the PrometheusRule of deploy/kubernetes holds valid groups', () => {
    const manifest = parse(readFileSync(join(ROOT, 'deploy/kubernetes/common/prometheus-rule.yaml'), 'utf8')) as { spec: { groups: unknown[] } };
    const file = join(mkdtempSync(join(tmpdir(), 'prometheus-rule-')), 'groups.yml');
    writeFileSync(file, stringify({ groups: manifest.spec.groups }));
    const { code, output } = run(['check', 'rules', file]);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  it('check rules: SLO rules generated from another file (TTFB, 28d, no buckets, selector with quotes)', () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const code = rulesCommand(join(ROOT, 'test/testdata/rules/ttfb-28d-no-buckets.yml'), (text) => lines.push(text), { err: (line) => warnings.push(line) });
    expect(code).toBe(0);
    // Without buckets and without --probe the threshold is used unchecked, and the generator says so.
    expect(warnings).toEqual([expect.stringContaining('slos[0].latency.threshold: 0.5s is used as le="0.5" unchecked')]);
    const file = join(mkdtempSync(join(tmpdir(), 'slo-rules-')), 'slo.yml');
    writeFileSync(file, lines.join(''));
    const { code: checked, output } = run(['check', 'rules', file]);
    expect(output).toContain('SUCCESS: 18 rules found');
    expect(checked).toBe(0);
    expect(lines.join('')).toContain('model_name="Llama 3.1 \\"70B\\""');
    expect(lines.join('')).toContain('le=~"0\\\\.50*"');
    expect(lines.join('')).toContain('(13.44 * 0.001)');
  });

  it('test rules deploy/prometheus/tests/*_test.yml', () => {
    const tests = readdirSync(TESTS_DIR).filter((f) => f.endsWith('_test.yml')).sort();
    expect(tests.length).toBeGreaterThanOrEqual(3);
    const { code, output } = run(['test', 'rules', ...tests], TESTS_DIR);
    expect(output).not.toContain('FAILED');
    expect(code, output).toBe(0);
  });
});

describe('every alert', () => {
  const tested = new Set(
    readdirSync(TESTS_DIR)
      .filter((f) => f.endsWith('_test.yml'))
      .flatMap((f) => {
        const doc = parse(readFileSync(join(TESTS_DIR, f), 'utf8')) as {
          tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: Array<{ exp_labels?: Record<string, string> }> }> }>;
        };
        return doc.tests.flatMap((t) =>
          (t.alert_rule_test ?? []).flatMap((a) => (a.exp_alerts ?? []).map((e) => `${a.alertname} ${e.exp_labels?.slo ?? ''}`.trim())),
        );
      }),
  );

  it.each(alerts)('%s: severity, for, summary, description, runbook, and a unit test that fires it', (_name, rule) => {
    expect(['critical', 'warning']).toContain(rule.labels?.severity);
    expect(rule.for).toMatch(/^\d+m$/);
    expect(rule.annotations?.summary).toMatch(/\S/);
    expect(rule.annotations?.description).toMatch(/\S/);
    expect(rule.annotations?.runbook_url).toBe(`docs/DASHBOARDS.md#${rule.alert!.toLowerCase()}`);
    expect(DOCS, `docs/DASHBOARDS.md has no runbook heading for ${rule.alert}`).toContain(`\n### ${rule.alert}\n`);
    const slo = rule.labels?.slo;
    // SLO alerts: the availability and latency objectives each have a firing test for the fast burn.
    if (!slo || rule.alert === 'BasetenSloBudgetBurnFast' || slo === 'availability') {
      expect(tested, `${rule.alert} has no promtool test that fires it`).toContain(`${rule.alert} ${slo ?? ''}`.trim());
    }
  });

  it.each(alerts.filter(([, r]) => /\d/.test(r.annotations?.threshold ?? '') && /^\d+(\.\d+)?(s|%| MiB)$/.test(r.annotations!.threshold!)))(
    '%s: the threshold annotation matches the expression',
    (_name, rule) => {
      const [, number, unit] = /^(\d+(?:\.\d+)?)(s|%| MiB)$/.exec(rule.annotations!.threshold!)!;
      const value = unit === '%' ? Number(number) / 100 : Number(number);
      expect(rule.expr).toMatch(new RegExp(`> ${String(value).replace('.', '\\.')}\\b`));
    },
  );
});

describe('rulesCommand', () => {
  const missing = join(ROOT, 'test/testdata/rules/nope.yml');
  const invalid = join(ROOT, 'test/testdata/rules/invalid-yaml.yml');
  it.each([
    ['missing file', missing, [`baseten-bridge: slo file ${missing}: cannot read it (ENOENT); check --slo`]],
    ['invalid file', invalid, [`baseten-bridge: slo file ${invalid}: not valid YAML at line 4 (BAD_INDENT); fix the syntax`]],
  ])('%s: one line per problem on stderr, exit 1', (_name, file, lines) => {
    const out: string[] = [];
    const err: string[] = [];
    expect(rulesCommand(file, (t) => out.push(t), { err: (l) => err.push(l) })).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(lines);
  });
});
